/**
 * "Is there a person here?" for the privacy scanner's record-context rules (an identifier, a phone number
 * or a salary counts as personal data when a person is named next to it).
 *
 * A person is: a common given name (several languages) followed by a capitalised surname
 * ("Sanne de Vries", "Rahul Mehta"), "Surname, Given" with a known given name, a title with a name
 * ("Frau Albers", "Mr. Okafor"), or a name in a labelled field ("name: Lee Chen", "Cliente: Marco").
 * Given names that are also common English words or tech terms (Will, May, Max, Mark, Grace...) are left
 * out of the list: a capitalised "Max Retries" is not a person.
 */

const GIVEN_NAMES = // English
  (
    'James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Donald Steven Paul Andrew ' +
    'Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin ' +
    'Scott Brandon Benjamin Samuel Gregory Alexander Patrick Raymond Dennis Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle ' +
    'Noah Ethan Jeremy Walter Christian Keith Roger Terry Sean Gerald Carl Harold Dylan Arthur Lawrence Jesse Bryan Billy ' +
    'Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Liam Oliver Lucas Mason Harry Oscar Leo Theo Alfie Charlie ' +
    'Tom Tim Ben Sam Dan Dave Mike Steve Jim Bob Rob Nick Tony Andy Chris Matt Alex Greg Ian Neil Colin Graham Stuart Gareth Rhys Owen ' +
    'Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley Kimberly Emily Donna ' +
    'Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma ' +
    'Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce ' +
    'Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison ' +
    'Frances Kathryn Janice Jean Abigail Alice Judy Sophia Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie ' +
    'Brittany Charlotte Marie Kayla Alexis Lori Ava Mia Amelia Isla Ella Chloe Lucy Poppy Freya Evie Jessica Holly Zoe Megan Kate ' +
    'Claire Fiona Gemma Karen Louise Nadia Olivia Priya ' +
    // German, Dutch, Nordic
    'Jonas Lukas Leon Finn Felix Paul Maximilian Luis Elias Tim Niklas Moritz Julian Tobias Florian Stefan Andreas Markus Thorsten ' +
    'Jürgen Jörg Uwe Klaus Dieter Wolfgang Helmut Sven Lars Nils Erik Anders Henrik Magnus Bjørn Ole Jens Søren Mikkel Mathias Frederik ' +
    'Sanne Femke Lotte Anouk Sophie Lieke Fleur Daan Bram Sem Thijs Ruben Joris Pieter Willem Kees Henk Jeroen Maarten Bas Sjoerd ' +
    'Anja Ursula Petra Sabine Monika Claudia Susanne Katrin Birgit Heike Jana Lena Leonie Hanna Johanna Greta Ida Astrid Ingrid Sigrid ' +
    'Linnea Elin Maja Saga Aino Eino Onni Väinö Helmi ' +
    // French, Spanish, Portuguese, Italian
    'Jean Pierre Jacques Michel Philippe Alain Nicolas François Laurent Julien Mathieu Antoine Guillaume Thierry Olivier Sébastien ' +
    'Louis Gabriel Raphaël Arthur Jules Léa Manon Camille Chloé Inès Sarah Juliette Margaux Élodie Céline Nathalie Isabelle Sylvie ' +
    'Valérie Sandrine Aurélie Mathilde Claire Amélie ' +
    'Carlos Javier Miguel Alejandro Pablo Sergio Jorge Diego Andrés Fernando Luis Manuel Antonio Francisco Rafael Raúl Álvaro Iván ' +
    'Lucía Lucia Carmen Laura Marta Elena Paula Sofía Sofia Alba Irene Cristina Pilar Isabel Ana Beatriz Inés ' +
    'João Pedro Tiago Rafael Gonçalo Rodrigo Thiago Felipe Gustavo Matheus Leonardo Eduardo Marcelo Ricardo Fernanda Juliana ' +
    'Camila Larissa Gabriela Mariana Beatriz Letícia Patrícia Adriana ' +
    'Marco Giuseppe Giovanni Francesco Alessandro Andrea Matteo Lorenzo Davide Simone Federico Riccardo Stefano Luca Paolo Roberto ' +
    'Giulia Chiara Francesca Federica Valentina Alessia Martina Silvia Elisa Sara Giorgia Roberta ' +
    // Polish, Czech, Russian, Ukrainian, Turkish, Greek
    'Piotr Krzysztof Tomasz Paweł Michał Marcin Grzegorz Łukasz Jakub Kacper Wojciech Agnieszka Katarzyna Małgorzata Magdalena Joanna ' +
    'Aleksandra Zofia Dmitri Dmitry Sergei Sergey Ivan Alexei Alexey Andrei Andriy Mikhail Vladimir Olga Natalia Tatiana Svetlana ' +
    'Irina Yulia Oksana Mehmet Ahmet Mustafa Emre Burak Ayşe Fatma Zeynep Elif Yannis Giorgos Dimitris Eleni Katerina ' +
    // South Asian, East Asian, African, Arabic
    'Rahul Amit Rohit Vikram Arjun Aditya Sanjay Rajesh Suresh Ramesh Anil Sunil Deepak Vijay Ravi Kiran Arun Manoj Nikhil Sachin ' +
    'Ananya Aisha Anjali Pooja Neha Kavya Divya Sneha Shreya Lakshmi Meera Sunita Deepika Nisha Riya Ishaan Aarav Vivaan ' +
    'Wei Jing Ming Hui Xiao Yan Jun Hao Lei Yong Jie Ying Mei Hiroshi Takashi Kenji Yuki Haruto Sakura Yui Aiko ' +
    'Minjun Jiwoo Seoyeon Jisoo Hyun Thanh Minh Linh ' +
    'Chidi Emeka Ngozi Chiamaka Oluwaseun Tunde Ayodele Kwame Kofi Abena Thabo Sipho Lindiwe Amara Zanele Wanjiru Njeri Daniel ' +
    'Mohammed Muhammad Ahmed Ali Omar Hassan Hussein Youssef Yusuf Ibrahim Khalid Tariq Karim Fatima Aisha Layla Leila Noor Mariam ' +
    'Yasmin Zainab Samira Rania Salma Huda ' +
    // (version 24) short forms of common given names, and Afrikaans given names
    'Jess Jessie Jen Jenny Becky Beth Liz Lizzie Katie Ellie Abby Maggie Paco Pepe Lola ' +
    'Riaan Wynand Christo Petrus Hendrik Jacobus Elsabe Karlien Liezl Anneke Marike Elmarie Hanlie Sunette ' +
    // (version 27) given names of more languages: Irish and British, Nordic and Finnish, Hungarian, Romanian, Czech,
    // Slovak, Croatian and Serbian, Turkish, Indonesian and Malay, Filipino, Ethiopian, West African and French,
    // Brazilian and Portuguese, Greek written in Latin letters
    'Darren Shaun Shauna Craig Declan Niamh Aoife Siobhan Sinead Ciara Eoin Padraig Conor Connor Callum Kieran Shane Saoirse ' +
    'Kari Jari Matti Mikko Juha Jukka Pekka Antti Heikki Janne Tuomas Petri Markku Tiina Päivi Riikka Kirsi Jussi Ilkka Sanna ' +
    'Mads Rasmus Kasper Mette Hanne Kirsten Sindre Eirik Øyvind Kjetil Håkon Solveig Oskar Gustav Fredrik ' +
    'Mattias Kristian Karin Kristina Ebba Frida Linnéa Annika Camilla Tesfaye Dawit Tigist Abebe Yonas Meron ' +
    'Bence Zoltán László István Gábor Péter Attila Tamás Ferenc Balázs Csaba Zsolt Ákos Katalin Erzsébet Ildikó ' +
    'Zsuzsanna Eszter Réka Anikó Krisztina Judit Orsolya Gergely ' +
    'Cristian Marius Ionuț Ionut Mihai Florin Bogdan Ciprian Alexandru Gheorghe Vasile Constantin Dorin Ioana Andreea Mihaela ' +
    'Alina Roxana Simona Raluca ' +
    'Jiří Tomáš Petr Pavel Lukáš Ondřej Zdeněk Jaroslav Miroslav Radek Juraj Matej Marek Zuzana Barbora Kateřina ' +
    'Lenka Veronika Tereza Hana Marko Nikola Goran Dragan Zoran Nebojša Milica Ivana Jelena Marija Dejan ' +
    'Serkan Kemal Murat Hakan Volkan Oğuz Hüseyin Osman Selin Ebru Esra Merve Büşra Derya Özlem Hatice Emine ' +
    'Agus Budi Dimas Joko Bambang Hendra Rizky Wahyu Dewi Siti Rina Wulan Azman Faizal Hafiz Nurul Aminah Ahmad Rahim ' +
    'Josephine Kristine Maricel Jocelyn Rowena Marites Rhea ' +
    'Mamadou Moussa Aminata Fatou Amina Yasmine Mehdi Sofiane Émilie Cécile Hélène Baptiste Clément Quentin Romain Benoît ' +
    'Rui Anderson Luiz Marcos Bruno Vitor Caio Renata Vanessa Aline Nuno Kostas Nikos Giannis Vasilis Olena ' +
    'Mykola Taras Bohdan Halyna'
  )
    .split(/\s+/)
    .filter(Boolean);

const NAME_PARTICLE = String.raw`(?:(?:van|von|de|der|den|da|di|du|del|della|la|le|bin|ibn|al|el|ter|ten|dos|das)\s+){0,2}`;
const SURNAME = String.raw`[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ][a-zà-öø-ÿłśżźćńęąó'’-]{1,30}`;
const GIVEN = `(?:${[...new Set(GIVEN_NAMES)].join('|')})`;

const FULL_NAME_PARTS = [
  String.raw`\b${GIVEN}\s+${NAME_PARTICLE}${SURNAME}\b`,
  String.raw`\b${SURNAME},\s+${GIVEN}\b`,
  String.raw`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Frau|Herr|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\.ra|Dhr|Mevr)\.?\s+${SURNAME}\b`,
  // (version 24) Afrikaans titles, with their dot (a bare "Me" is the English word): "Me. Annatjie", "Mnr. Botha"
  String.raw`\b(?:Me|Mev|Mej|Mnr)\.\s+${SURNAME}\b`,
  String.raw`\b(?:name|full name|nom|nombre|naam|cliente|client|customer|patient|paciente|employee|mitarbeiter(?:in)?|klant|kunde|titular)\s*[:=|-]\s*${SURNAME}(?:\s+${NAME_PARTICLE}${SURNAME})?`,
  // (version 9) a name in Hangul or Han characters after a person label of Korean, Chinese or Japanese forms:
  // "환자: 박준혁", "고객 이름: 김서연", "患者：王丽华", "氏名: 佐藤健"
  String.raw`(?:환자|고객|성명|이름|직원|신청인|보호자|피보험자|수진자|회원|학생|患者|姓名|客户|客戶|员工|員工|申请人|申請人|病人|学生|學生|氏名|名前|顧客|社員|従業員|申請者|被保険者)(?:\s*(?:명|이름|名))?\s*[:：=|]\s*[\p{Script=Hangul}\p{Script=Han}]{2,4}(?![\p{Script=Hangul}\p{Script=Han}])`,
];
/** Full names: "Given Surname", "Surname, Given", "Title Surname", "name: X Y". */
export const FULL_NAME_RE = new RegExp(FULL_NAME_PARTS.join('|'), 'u');
/** A full name, or a given name alone as the subject of a sentence about a person ("Priya earns...", "Olivia back on"). */
export const PERSON_NAME_RE = new RegExp([...FULL_NAME_PARTS, String.raw`\b${GIVEN}\b`].join('|'), 'u');
/** The line around [start, end), at most `span` characters either side. */
export function lineAround(text: string, start: number, end: number, span = 160): string {
  let s = start;
  while (s > 0 && start - s < span && text[s - 1] !== '\n') s--;
  let e = end;
  while (e < text.length && e - end < span && text[e] !== '\n') e++;
  return text.slice(s, e);
}

// (version 27) A private person named in other languages and scripts, for the special-category rules (privacy.ts
// namedInParagraph): a title or honorific before a name ("Domnul Vasile", "Encik Azman", "господин Орлов",
// "κυρία Παππά", "ბატონი გიორგი", "آقای رضایی", "श्रीमती सुनीता", "திருமதி லதா", "นางสาวสุดา", "አቶ ሙሉጌታ"), an
// honorific or job title after it ("Serkan Bey", "최지훈 과장", "রফিকুল ইসলাম ভাই"), a known given name of a caseless
// or other-cased script with a second name ("Δημήτρης Νικολάου", "Ирина Орлова", "נועה לוי", "विकास शर्मा"), a surname
// of a form only persons have (patronymics, -όπουλος, -შვილი/-ძე, -յան, -ić/-ová), or a colleague, neighbour, tenant,
// pupil or relative named ("náš zaměstnanec Zdeněk Kolář", "rekan saya Dimas", "ჩემი ძმა ლევანი", "ہمارے ڈرائیور شاہد").
// Caseless scripts have no capital to tell a name from a word, so a bare word after a title counts only where the
// title is not also an everyday word. Only evaluated near a special-category term.
import { normalise } from './normalise.js';

const NB = String.raw`(?<![\p{L}\p{M}])`; // no letter before
const NA = String.raw`(?![\p{L}\p{M}])`; // no letter after
const CAP = String.raw`\p{Lu}[\p{Ll}\p{M}'’]{1,20}`;
const WORD = String.raw`[\p{L}\p{M}]{2,}`;
const ML_GIVEN =
  // Cyrillic (Russian, Ukrainian, Serbian), Greek
  'Александр Алексей Андрей Артём Артем Владимир Дмитрий Евгений Иван Игорь Максим Михаил Николай Олег Павел Сергей Юрий ' +
  'Анна Анастасия Екатерина Елена Ирина Мария Наталья Наталия Ольга Светлана Татьяна Юлия Оксана Олена Галина Тарас ' +
  'Богдан Микола Андрій Олександр Дмитро Сергій Юлія Наталія Ірина Небојша Драган Зоран Милан Никола Марко Јелена Милица ' +
  'Ивана Јован Δημήτρης Γιώργος Γιάννης Νίκος Κώστας Παναγιώτης Βασίλης Χρήστος Μαρία Ελένη Κατερίνα Σοφία Γεωργία ' +
  'Αικατερίνη Δέσποινα ' +
  // Georgian, Armenian, Hebrew
  'გიორგი ლევან ლევანი დავით ნიკა ნინო მარიამ თამარ ეკა ნათია ირაკლი ზურაბ Արամ Արմեն Նարեկ Դավիթ Կարեն Անի Լիլիթ ' +
  'Գոհար Մարիամ Տիգրան נועה איתי יוסי דוד משה אבי רונית מיכל שירה תמר יעל אורי עומר דניאל יונתן אביגיל ' +
  // Arabic, Persian, Urdu
  'محمد أحمد احمد علی علي حسن حسین حسين عمران شاہد شاهد رضا مریم فاطمه فاطمة زهرا خالد یوسف يوسف عمر عثمان ' +
  'ابراهیم إبراهيم مصطفی مصطفى سارا سارة زینب زينب عائشة عایشه بلال حمزہ حمزة کامران عرفان طارق مهدی امیر سعید ' +
  'سعيد ناصر حمید مجید منصور لیلا نرگس مینا پریا ' +
  // Devanagari, Bengali, Tamil
  'राजेश सुरेश रमेश विकास अमित राहुल सुनीता अनीता प्रिया पूजा नेहा संजय दीपक रवि अंजलि ' +
  'রফিকুল রহিম করিম আব্দুল তানিয়া ফাতেমা নাসরিন রাকিব সাকিব সুমাইয়া রুমা ' +
  'சிவகுமார் முருகன் செல்வம் ராஜா லட்சுமி பிரியா கவிதா மீனா ' +
  // Thai, Ethiopic
  'สมชาย สมศักดิ์ สมพร สุรชัย วิชัย ปิยะพงษ์ สุดา มาลี ดวงใจ ዳዊት ሙሉጌታ ትዕግስት አበበ ተስፋዬ ሰላም ' +
  // (version 28) Hebrew, Arabic, Marathi and Hindi, Punjabi, Telugu, Kazakh, Macedonian and Bulgarian, Mongolian names
  'אביטל מיכאל שרה רחל לאה אסף עידו נועם ליאור הדס אורית אילנה יעקב אברהם יצחק שלמה אליהו אסתר ענת גלית רועי מורן אפרת ' +
  'سامر سامي ماجد وليد رامي هاني نادر فادي باسل منى ريم هالة كريم جمال ياسر هشام رنا لينا ' +
  'अनिकेत महेश गणेश सचिन प्रशांत अमोल स्वाती प्राजक्ता सुप्रिया वैशाली रोहित आदित्य ' +
  'ਗੁਰਪ੍ਰੀਤ ਹਰਪ੍ਰੀਤ ਮਨਪ੍ਰੀਤ ਜਸਪ੍ਰੀਤ ਸੁਖਵਿੰਦਰ ਹਰਜੀਤ ਕੁਲਦੀਪ ਅਮਨਦੀਪ ਗੁਰਮੀਤ ਬਲਜੀਤ ਪਰਮਜੀਤ ਜਸਵਿੰਦਰ ' +
  'శ్రీనివాస్ రాజేష్ సురేష్ వెంకట్ లక్ష్మి ప్రసాద్ కృష్ణ రమేష్ సునీత ' +
  'Ерлан Айгерім Нұрлан Асель Жанар Дәурен Горан Стефан Бат-Эрдэнэ Болд Сарнай';
const GIVEN_LATIN_V28 = // Icelandic, Baltic, Slovenian, Albanian, Catalan, Basque, Welsh, Irish, Dutch, French
  (
    'Guðrún Sigríður Kristín Sigurður Gunnar Ólafur Einar Jón Rūta Jurgita Tomas Mantas Andrius Mārtiņš Jānis Andris Ilze Līga ' +
    'Kristjan Tiit Mart Kadri Liis Triin Mojca Janez Urška Špela Rok Arben Blerina Dritan Elira Besnik Jordi Montserrat Núria ' +
    'Inês Oriol Iñaki Ainhoa Itziar Mikel Dafydd Gwen Rhian Siân Seán Áine Pádraig Cian Jasmijn Karima Kévin ' +
    // Azerbaijani, Uzbek, Kazakh, Somali, Hausa, Yoruba, Igbo
    'Elvin Rəşad Tural Orxan Leyla Aynur Günel Nigar Elnur Dilnoza Jasur Sardor Nodira Ulugbek Gulnora Yerlan Aigerim ' +
    'Cabdiraxmaan Cabdullahi Maxamed Faadumo Hodan Khadar Axmed Cali Sani Musa Abubakar Aliyu Bello Usman Folasade ' +
    'Funmilayo Adebayo Olumide Chinedu Bolaji Tope Kemi Yetunde Ifeoma Nneka ' +
    // (version 29) Latvian and Basque given names
    'Kristaps Artūrs Edgars Māris Raivis Ieva Inese Dace Agnese Ane Miren Unai Aitor Leire Amaia Garazi Ander Asier Nerea Maialen Josu'
  ).replace(/ /g, '|');
const ML_TITLE_BEFORE =
  // Latin script: Polish/Czech/Slovak, Hungarian, Romanian, Turkish, Indonesian/Malay, Swahili, Filipino, academic
  String.raw`${NB}(?:Pan|Pani|Paní|Pana|Panem|Panu|Úr|Domnul|Domnului|Doamna|Doamnei|Dl\.|Dna\.|Sayın|Bayan|Bapak|Pak|Ibu(?!\s+Kota)|Encik|Puan|Cik|Tuan|Bwana|Bw\.|Bi\.|Ato|Ma'am|Ma’am|Mang|Aling|Kuya|Ing\.|Mgr\.|Bc\.|MUDr\.|JUDr\.|PhDr\.|Kyrios|Kyria)\s+${CAP}` +
  // Vietnamese kinship titles (lower case) before a name of two or more words
  String.raw`|${NB}(?:[Aa]nh|[Cc]hị|[Ôô]ng|[Bb]à|[Cc]ô|[Cc]hú|[Ee]m)\s+${CAP}(?:\s+${CAP}){1,3}` +
  // Cyrillic, Greek, Georgian, Armenian
  String.raw`|${NB}(?:господин|госпожа|господина|госпожи|г-н|г-жа|пан|пані|пана|панові|пани|господине|госпођа|госпође)\.?\s+\p{Lu}` +
  String.raw`|${NB}(?:κ\.|κύριος|κυρία|κυρίου|κυρίας|κ\.κ\.)\s*\p{Lu}` +
  String.raw`|${NB}(?:ბატონი|ქალბატონი|ბატონ|ქალბატონ|ბ-ნი|ქ-ნი)\s+${WORD}` +
  String.raw`|${NB}(?:պարոն|տիկին|պրն\.|տկն\.|Պարոն|Տիկին)\s+\p{Lu}` +
  // Arabic, Persian, Urdu; Hebrew
  String.raw`|${NB}(?:آقای|خانم|جناب|السيد|السيدة|الأستاذ|الأستاذة|الدكتور|الدكتورة|سرکار|محترمہ|محترم)\s+${WORD}` +
  String.raw`|${NB}(?:מר|גב'|גב׳|הגב'|ד"ר|ד״ר)\s+${WORD}` +
  // Devanagari, Bengali, Tamil, Ethiopic
  String.raw`|${NB}(?:श्री|श्रीमती|सुश्री|कुमारी|डॉ\.)\s+${WORD}` +
  String.raw`|${NB}(?:শ্রী|শ্রীমতী|জনাব|বেগম|ডাঃ)\s+${WORD}` +
  String.raw`|${NB}(?:திரு|திருமதி|செல்வி|டாக்டர்)\.?\s+${WORD}` +
  String.raw`|${NB}(?:አቶ|ወ/ሮ|ወይዘሮ|ወ/ሪት|ወይዘሪት|ዶ/ር)\s+${WORD}` +
  // (version 28) Yoruba and Hausa titles; Khmer Mr/Mrs/Miss before a spaced name; Burmese honorifics (U, Daw, Ma, Ko)
  // joined to a common name syllable (not "မ" before a word it negates: "မလှ", "မတင်", "မမြင်")
  String.raw`|${NB}(?:Arábìnrin|Arabinrin|Ọ̀gbẹ́ni|Ọgbẹni|Ogbeni|Alhaji|Alhaja|Hajiya|Malam|Mallam|Walaalkay|Walaashay|Marwo|Mudane)\s+${CAP}` +
  String.raw`|(?<![\u1780-\u17ff])(?:លោកស្រី|លោក|កញ្ញា|អ្នកស្រី|បងស្រី|បងប្រុស|ប្អូនស្រី|ប្អូនប្រុស)\s*[\u1780-\u17ff]{2,}\s+[\u1780-\u17ff]{2,}` +
  String.raw`|(?:ဦး|ဒေါ်|မ|ကို)(?:ခင်|ကျော်|သန်း|ဝင်း|စန်း|သီတာ|ဇော်|ထွန်း|စိုး|နွယ်|သူဇာ|ဖြိုး|ဟိန်း|ချို|ဌေး|နီလာ|အေးအေး|ဆုမွန်)` +
  // Thai: Mr, Mrs, Miss with a given and a family name (คุณ is also "you": only before a known given name)
  String.raw`|(?:นางสาว|นาย(?!จ้าง|ก|หน้า|ทุน)|นาง(?!พยาบาล|แบบ|ฟ้า|งาม))[\u0e00-\u0e7f]{2,}\s+[\u0e00-\u0e7f]{2,}`;
const ML_TITLE_AFTER =
  // Turkish, Korean job titles, Japanese and Chinese honorifics
  String.raw`${CAP}\s+(?:Bey|Hanım|Beyin|Hanımın|Bey'in|Hanım'ın|Beye|Hanıma)${NA}` +
  String.raw`|(?<![가-힣])(?!정신과|정규직|장애인|임산부|신경과|한의사|간호사|산부인과)[김이박최정강조윤장임한오서신권황안송류전홍고문손배백허남심노하곽성차주우구민진나지엄채원천방현][가-힣]{2}\s?(?:대리|과장|부장|차장|팀장|실장|선배|후배|사원|주임|인턴|매니저|교수|이사)` +
  String.raw`|[\u4e00-\u9fff]{2,4}(?:くん|ちゃん|君|殿|女士|先生)`;
const ML_FORMS =
  // Russian and Ukrainian patronymics, Slavic, Greek, Georgian and Armenian surname endings, after another name
  String.raw`${NB}\p{Lu}\p{Ll}{1,20}\s+\p{Lu}\p{Ll}{1,16}(?:ович|евич|овна|евна|ьевич|ична|івна|ївна|йович|ов|ова|ев|ева|енко|чук|ський|ська|ский|ская|ић|ović|ević|ić|ová|ská|όπουλος|οπούλου|ίδης|ίδου|άκης|άκη|ιάδης|ίου)${NA}` +
  String.raw`|${NB}[\u10d0-\u10ff]{2,}\s+[\u10d0-\u10ff]{2,}(?:შვილ|ძე)[\u10d0-\u10ff]{0,3}${NA}` +
  String.raw`|${NB}\p{Lu}[\u0561-\u0587]{1,15}\s+\p{Lu}[\u0561-\u0587]{1,15}յան[\u0561-\u0587]{0,3}${NA}` +
  // Hungarian order: surname then a known given name ("Kovács Bence", "Nagy Zoltánné")
  String.raw`|${NB}\p{Lu}\p{Ll}{1,20}\s+(?:Bence|Zoltán|László|István|Gábor|Péter|Attila|Tamás|Ferenc|Balázs|Csaba|Zsolt|Ákos|Gergely|Katalin|Erzsébet|Ildikó|Zsuzsanna|Eszter|Réka|Anikó|Krisztina|Judit|Orsolya|Dániel|Anna|Mária)(?:né)?${NA}` +
  // (version 28) Icelandic patronymics, Lithuanian married and maiden names, Slovenian -ič, Turkic and Slavic -ov/-ova in
  // Latin letters ("Guðrún Sigurðardóttir", "Rūta Kazlauskienė", "Mojca Zupančič", "Dilnoza Rahimova", "Elvin Məmmədov")
  String.raw`|${NB}\p{Lu}[\p{Ll}\p{M}]{1,20}\s+\p{Lu}[\p{Ll}\p{M}]{2,20}(?:dóttir|sson|ienė|aitė|ytė|iūtė|ič|ova|ov|ovna|ovich|yeva|yev|eva|zadə|zoda|ovа)${NA}` +
  // Indian family names after a given name, in Devanagari, Gurmukhi, Bengali, Telugu, Tamil; Telugu "garu" after a name
  String.raw`|${NB}[\p{L}\p{M}]{2,}\s+(?:देशपांडे|कुलकर्णी|जोशी|पाटील|शिंदे|जाधव|पवार|देशमुख|गायकवाड|शर्मा|वर्मा|गुप्ता|सिंह|यादव|मिश्रा|तिवारी|पांडे|चौधरी|ਸਿੰਘ|ਕੌਰ|ਸੰਧੂ|ਗਿੱਲ|ਢਿੱਲੋਂ|ਸਿੱਧੂ|ਬਰਾੜ|ਗਰੇਵਾਲ|রহমান|হোসেন|চৌধুরী|ইসলাম|রెడ్డి|రెడ్డి|రావు|నాయుడు|శర్మ|வர்மா)${NA}` +
  String.raw`|${NB}[\p{L}\p{M}]{2,}\s+[\p{L}\p{M}]{2,}\s+గారు${NA}` +
  // an Arabic name with "Abd al-" ("سامر عبد الكريم")
  String.raw`|${NB}[\u0600-\u06ff]{2,}\s+عبد\s?ال[\u0600-\u06ff]{2,}` +
  // Chinese: a common surname (traditional forms too) and a given name after "of"/"colleague", before an adverb or verb
  String.raw`|(?:的|同事|員工|员工|朋友|鄰居|邻居|同學|同学|室友|下屬|下属)[林黃黄高周馬马羅罗陳張劉楊趙吳孫鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈鄒顧龔王李张刘陈杨赵吴徐孙朱胡郭何郑梁谢宋唐许韩冯邓曹彭曾萧董潘袁蔡蒋杜叶魏苏吕丁卢姚沈钟姜崔谭陆汪廖韦贾邹熊孟秦邱侯尹薛段黎陶郝顾龚邵戴莫][\u4e00-\u9fff]{1,2}(?:其實|其实|已經|確診|告訴我|跟我說|最近|正在|因為|因为|說|说)` +
  // Irish and Scottish surnames: "Shauna O'Leary", "Niamh McCarthy"
  String.raw`|${NB}${CAP}\s+(?:O['’]|Mc|Mac)\p{Lu}\p{Ll}{1,20}` +
  // Chinese: a common surname and a given name after "of"/"colleague" or at a quote's start, before a verb of telling
  String.raw`|(?:的|同事|员工|朋友|邻居|同学|室友|下属|['"「“‘])[王李张刘陈杨赵吴徐孙朱胡郭何罗郑梁谢宋唐许韩冯邓曹彭曾萧董潘袁蔡蒋杜叶魏苏吕丁卢姚沈钟姜崔谭陆汪廖韦贾邹熊孟秦邱侯尹薛段黎陶郝顾龚邵戴莫][\u4e00-\u9fff]{1,2}(?:跟我|告诉我|最近|已经|确诊|被)` +
  // (version 29) after a unit ("市场部李娜", "我们部门的王海峰") or a colleague, before a time or a finding ("上周", "查出", "怀孕")
  String.raw`|(?:部|组|科|室|处|的|同事|员工|同學|同学)[王李张刘陈杨赵吴徐孙朱胡郭何罗郑梁谢宋唐许韩冯邓曹彭曾萧董潘袁蔡蒋杜叶魏苏吕丁卢姚沈钟姜崔谭陆汪廖韦贾邹熊孟秦邱侯尹薛段黎陶郝顾龚邵戴莫林黄高周马][\u4e00-\u9fff]{1,2}(?:上周|上个月|上月|昨天|前天|今天|去年|今年|本周|这周|体检|查出|怀孕|患|得了|住院|做了|因为|在医院)`;
// (version 29) a person named in more languages: a Zulu or Xhosa name after its noun-class prefix ("uSipho Ndlovu",
// "USipho Dlamini"); a Vietnamese family name before one to three names ("Nguyễn Thị Hằng", "Trần Văn Hùng"); a Yoruba
// name with its dotted, tone-marked letters ("Adébáyọ̀ Ọláníyì"); a Mongolian patronymic in the genitive before a given
// name ("Батбаярын Энхтуяа"); a Sinhala name before its title ("නිමල් පෙරේරා මහතා"); a name and family name before a team
// or department in Thai, Khmer, Latvian and Lithuanian ("คุณสมชาย ทองดี แผนกบัญชี", "Kristaps Ozols no IT nodaļas")
const ML_V29 =
  String.raw`${NB}(?:u|U|ku|kwa|ka|ngu|no)\p{Lu}\p{Ll}{2,20}\s+\p{Lu}\p{Ll}{2,20}${NA}` +
  String.raw`|${NB}(?<![Đđ]ường |[Pp]hố |[Tt]hành phố |TP\. |TP )(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ(?!\s+Chí\s+Minh)|Ngô|Dương|Lý|Đinh|Trương|Lương|Mai)\s+${CAP}(?:\s+${CAP}){0,2}${NA}` +
  String.raw`|${NB}\p{Lu}[\p{Ll}\p{M}]*(?:[ẹọẸỌ][\u0300\u0301]|[ṣṢ])[\p{Ll}\p{M}]*\s+\p{Lu}[\p{Ll}\p{M}]{2,}` +
  String.raw`|${NB}\p{Lu}[\p{Ll}\p{M}]{2,20}\s+\p{Lu}[\p{Ll}\p{M}]*(?:[ẹọẸỌ][\u0300\u0301]|[ṣṢ])[\p{Ll}\p{M}]*` +
  String.raw`|${NB}\p{Lu}\p{Ll}{2,20}(?:ын|ийн|гийн)\s+\p{Lu}\p{Ll}{2,20}${NA}` +
  String.raw`|[\u0d80-\u0dff]{2,}\s+[\u0d80-\u0dff]{2,}\s*(?:මහතා|මහත්මිය|මෙනවිය)` +
  String.raw`|(?:คุณ|น้อง|พี่)[\u0e00-\u0e7f]{2,}\s+[\u0e00-\u0e7f]{2,}\s+(?:ทีม|ฝ่าย|แผนก|จากฝ่าย|จากแผนก)` +
  String.raw`|[\u1780-\u17ff]{2,}\s+[\u1780-\u17ff]{2,}\s+នៅ(?:ផ្នែក|ការិយាល័យ|ក្រុម)` +
  String.raw`|${NB}\p{Lu}[\p{Ll}\p{M}]{1,20}\s+\p{Lu}[\p{Ll}\p{M}]{1,20}\s+(?:no|iš|is)\s+(?:[\p{L}]+\s+){0,2}(?:nodaļ|noliktav|grāmatvedīb|biroj|skyri|sandėli|buhalteri)\p{L}*`;
const ML_RELATION =
  // Latin script: colleague, employee, trainee, neighbour, tenant, pupil, candidate, patient before a name and surname
  String.raw`${NB}(?:kollega|kollegaen|kollegan|kollegája|collega|collègue|colega|kolega|kolegyně|kolegyňa|koleżanka|meslektaşım|rekan|rakan|kasamahan|työkaveri|munkatárs|werknemer|medewerker|medewerkster|Mitarbeiter|Mitarbeiterin|Azubi|Auszubildende|Auszubildender|zaměstnanec|zaměstnankyně|zamestnanec|zamestnankyňa|pracownik|pracownica|radnik|radnica|zaposlenik|zaposlenica|anställd|medarbetare|ansatt|medarbejder|dipendente|impiegato|impiegata|badante|empleado|empleada|funcionário|funcionária|employé|employée|salarié|salariée|angajatul|angajata|çalışanımız|karyawan|pegawai|pekerja|empleyado|mfanyakazi|työntekijä|alkalmazott|sąsiad|sąsiadka|soused|sousedka|sused|susjed|susjeda|granne|nabo|naboen|vecino|vecina|vicino|vicina|vizinho|vizinha|voisin|voisine|buurman|buurvrouw|Nachbar|Nachbarin|komşum|tetangga|jiran|kapitbahay|jirani|naapuri|szomszéd|vecin|vecina|locataire|inquilino|inquilina|Mieter|Mieterin|huurder|najemca|nájemník|lokator|hyresgäst|leietaker|lejer|affittuario|kiracı|penyewa|chiriaș|alumna|alumno|aluno|aluna|élève|alunno|alunna|Schüler|Schülerin|uczeń|uczennica|žák|žákyně|leerling|öğrenci|murid|siswa|mwanafunzi|oppilas|tanuló|candidatul|candidata|candidato|kandidat|Bewerber|Bewerberin|kandydat|uchazeč|uchazečka|sollicitant|paziente|pacjent|pacjentka|pacient|pacientka|pasien|pesakit|mgonjwa|potilas|beteg)(?:\s+(?:saya|kami|kita|ku|mu|wetu|yangu|natin|namin|ko|mo|min|mitt|vår|vores|meu|minha|nosso|nossa|nostro|nostra|mio|mia|notre|mon|ma))?,?\s+${CAP}[ -]${CAP}` +
  // a family named ("familia Popescu", "rodzina Nowaków")
  String.raw`|${NB}(?:familia|familiei|rodzina|rodziny|rodina|obitelj|porodica|famiglia|família|familie|famille)\s+${CAP}` +
  // Cyrillic and Greek: our/my accountant, employee, driver, colleague, pupil named
  String.raw`|${NB}(?:наш|наша|мой|моя|мій|наші|наши|ο|η)\s+(?:бухгалтер|сотрудник|сотрудница|працівник|працівниця|співробітник|співробітниця|водитель|водій|коллега|колега|ученик|учениця|ученица|радник|радница|колега|συνάδελφός|συνάδελφος|υπάλληλός|υπάλληλος|γείτονάς|φίλος|φίλη)(?:\s+(?:μου|μας))?,?\s+\p{Lu}\p{Ll}+` +
  // Georgian, Armenian: my brother, our accountant/driver/colleague
  String.raw`|${NB}(?:ჩემი|ჩვენი|ჩვენმა|ჩემმა|ჩვენს|ჩემს)\s+(?:ძმა|ძმამ|დედა|დედამ|მამა|მამამ|შვილი|ვაჟი|ქალიშვილი|მეზობელი|მეზობელმა|კოლეგა|კოლეგამ|თანამშრომელი|თანამშრომელმა|თანამშრომელ|მეგობარი|მეგობარმა|ბიძა|დეიდა|ქმარი|ცოლი|ბუღალტერი|ბუღალტერმა|მძღოლი|მძღოლმა)\s+${WORD}` +
  String.raw`|${NB}(?:Մեր|մեր|Իմ|իմ)\s+(?:վարորդ|գործընկեր|աշխատակից|հարևան|եղբայր|քույր|ընկեր|հաշվապահ)[\u0561-\u0587]{0,3}\s+\p{Lu}` +
  // Persian, Urdu: our/my driver, colleague, brother
  String.raw`|${NB}(?:ہمارے|ہماری|میرے|میری|همکارم|دوستم|برادرم|خواهرم|همسایه‌ام)\s+(?:${WORD}\s+)?(?:${ML_GIVEN.split(' ')
    .filter((n) => /[\u0600-\u06ff]/.test(n))
    .join('|')})` +
  // Hindi: my friend; Tamil: my uncle, brother, friend
  String.raw`|${NB}(?:मेरे|मेरी|हमारे|हमारी)\s+(?:दोस्त|मित्र|सहेली|सहकर्मी|कर्मचारी|ड्राइवर)\s+${WORD}` +
  String.raw`|${NB}(?:என்|எங்கள்)\s+(?:மாமா|அப்பா|அம்மா|அண்ணன்|அண்ணா|தம்பி|அக்கா|தங்கை|நண்பர்|நண்பன்|சக ஊழியர்)\s+${WORD}` +
  // Bengali relation or colleague with a vowel sign in the name (the older pattern's \p{L}{2,} stops at it)
  String.raw`|${NB}(?:আমার|আমাদের)\s+(?:সহকর্মী|প্রতিবেশী|বন্ধু|ভাই|বোন)\s+${WORD}`;
// (speed) the scripts' letters, to group the alternatives below by the scripts of their literal letters and to test a
// group only on text that has one of them: one pattern of all of them tried every branch at every position (an 8 KB
// Arabic text with a health word every sentence took 90 ms against 50 ms)
const SCRIPTS: [string, string][] = [
  ['latin', String.raw`A-Za-z\u00c0-\u024f\u1e00-\u1eff`],
  ['greek', String.raw`\u0370-\u03ff`],
  ['cyrillic', String.raw`\u0400-\u04ff`],
  ['armenian', String.raw`\u0530-\u058f`],
  ['hebrew', String.raw`\u0590-\u05ff`],
  ['arabic', String.raw`\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff`],
  ['indic', String.raw`\u0900-\u0dff`],
  ['thai', String.raw`\u0e00-\u0e7f`],
  ['seasia', String.raw`\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff`],
  ['georgian', String.raw`\u10a0-\u10ff`],
  ['ethiopic', String.raw`\u1200-\u139f`],
  ['cjk', String.raw`\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af`],
];
const SCRIPT_RES = SCRIPTS.map(([name, range]) => [name, new RegExp(`[${range}]`)] as const);
const byScript = (names: string[], script: string) => names.filter((n) => SCRIPT_RES.find(([s]) => s === script)![1].test(n));
const GIVEN_ML = ML_GIVEN.split(' ');
/** The top-level alternatives of a pattern's source. */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (/[pPu]/.test(source[i + 1]) && source[i + 2] === '{') i = source.indexOf('}', i);
      else i++;
    } else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}
/** The scripts of an alternative's literal letters (escapes and classes of escapes are not letters). */
function scriptsOf(alt: string): string[] {
  const literal = alt.replace(/\\[pPu]\{[^}]*\}|\\u[0-9a-fA-F]{4}|\\./g, '');
  return SCRIPT_RES.filter(([, re]) => re.test(literal)).map(([s]) => s);
}
const ML_SOURCES = [
  // a known given name of another script before a second name
  ...['greek', 'cyrillic', 'armenian', 'hebrew', 'arabic', 'indic', 'thai', 'georgian', 'ethiopic'].map(
    (script) => `${NB}(?:${byScript(GIVEN_ML, script).join('|')})\\s+${WORD}`,
  ),
  // a known given name before a surname with letters the older SURNAME class lacks ("Serkan Yıldırım", "Zoë Ødegård");
  // not Vietnamese "Theo" ("according to": "Theo Bộ luật")
  String.raw`\b(?!Theo\s)${GIVEN}\s+\p{Lu}[\p{Ll}\p{M}]{1,20}${NA}`,
  // (version 28) given names of the 26th matrix's languages and their neighbours, in Latin letters (this rule only)
  String.raw`${NB}(?:${GIVEN_LATIN_V28})\s+\p{Lu}[\p{Ll}\p{M}]{1,20}${NA}`,
  `${NB}(?:คุณ|น้อง|พี่)(?:${byScript(GIVEN_ML, 'thai').join('|')})`,
  // a Cyrillic given name in another case than the nominative ("в Оксани Мельник", "у Ирины Орловой")
  // (version 28) and a man's given name in another case ("Олександра Мельничука", "Сергія Бондаря", "з Андрієм Ковалем")
  `${NB}(?:${GIVEN_ML.filter((n) => /^[\u0400-\u04ff]+[^ая]$/.test(n))
    .map((n) => n.replace(/[йьо]$/, ''))
    .join('|')})(?:а|я|у|ю|ом|ем|ові|еві|єм)\\s+\\p{Lu}\\p{Ll}+`,
  `${NB}(?:${GIVEN_ML.filter((n) => /^[\u0400-\u04ff]+[ая]$/.test(n))
    .map((n) => n.slice(0, -1))
    .join('|')})(?:[аеиіуюяыой]|ою|ей|ої)\\s+\\p{Lu}\\p{Ll}+`,
  ML_TITLE_BEFORE,
  ML_TITLE_AFTER,
  ML_FORMS,
  ML_RELATION,
  ML_V29,
]
  .flatMap(alternatives)
  // (version 28) the scanner reads the normalised text, where Cyrillic and Greek letters that look Latin are Latin ("Oлeкcaндpa",
  // "Ceргеевна"): each alternative also in its normalised form, or a name in those scripts was never seen by a scan
  .flatMap((alt) => {
    const n = normalise(alt).text;
    return n === alt ? [alt] : [alt, n];
  });
/** (version 27) The alternatives grouped by their scripts: [the scripts' letters, the group's pattern]. */
const ML_BY_SCRIPTS = new Map<string, string[]>();
for (const alt of ML_SOURCES) {
  const key = scriptsOf(alt).join(' ');
  ML_BY_SCRIPTS.set(key, [...(ML_BY_SCRIPTS.get(key) ?? []), alt]);
}
const PERSON_ML_GROUPS: [RegExp, RegExp][] = [...ML_BY_SCRIPTS].map(([scripts, alts]) => [
  new RegExp(
    `[${SCRIPTS.filter(([s]) => scripts.split(' ').includes(s))
      .map(([, r]) => r)
      .join('')}]`,
  ),
  new RegExp(alts.join('|'), 'u'),
]);
/** (version 27) A person named in other languages and scripts (see above) in `text`; called only near a term. */
export function personNamedMl(text: string): boolean {
  for (const [letters, re] of PERSON_ML_GROUPS) if (letters.test(text) && re.test(text)) return true;
  return false;
}
/** (version 27) The same as one pattern (tests, diagnostics): built when asked for, not at every start (17 ms). */
export function personMlPattern(): RegExp {
  return new RegExp(ML_SOURCES.join('|'), 'u');
}
