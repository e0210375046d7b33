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
    'Riaan Wynand Christo Petrus Hendrik Jacobus Elsabe Karlien Liezl Anneke Marike Elmarie Hanlie Sunette'
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
