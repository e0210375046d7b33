import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Version 29 (data/router/README.md): the classes privacy-blind-27 and -27a (and blind-26, tune-4) still missed or
// flagged, as classes: the special categories' words in the forms and languages the lists lacked (Welsh mutations,
// Afrikaans, Tagalog, Zulu, Mongolian, Amharic, Irish, Sinhala, plural and genitive forms); persons named by a Zulu
// noun-class prefix, a Vietnamese family name, Yoruba tone-marked letters, a Mongolian genitive patronymic, a Sinhala
// title, a Chinese unit before the name, a name before a team in Thai and Khmer, Korean staff titles; credentials
// assembled by more means (ROT13, String.Format, %d and %c holes, an infix xor) and in an XML element; phones after the
// words for a phone in more languages. Harmless: an organisation's line, a placeholder number, a company's address, an
// interpolated URL password, a masked header, a Ruby constant, a novel's plot, a visa route, a recruitment mailbox, a
// text that says no real person is meant. Every case is a new example written for this test, not a data row; each
// failed on version 28 (main 207b758): the 30 found-cases were all missed there, the 11 clean ones all flagged.
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

describe("a named person's special category, a credential or a contact, found", () => {
  it.each([
    ['Welsh: a union rep, mutated', 'special_category', 'Mae Carys Morgan, nyrs yn yr ysbyty, yn gynrychiolydd undeb ers y llynedd.'],
    [
      'Zulu: a union member after the noun-class prefix',
      'special_category',
      'Sicela ubhale kabusha: uBongani Khumalo uyilungu le-NUMSA futhi uhola isiteleka emayini.',
    ],
    ['Zulu: a moneylender debt', 'financial', 'Ngicela ungisize: uNomvula Zungu usekweleta imashonisa u-R12 000 futhi ufuna usizo.'],
    [
      'Mongolian: a genitive patronymic and an unpaid loan',
      'financial',
      'Манай нягтлан Доржийн Болормаа банкны зээлээ гурван сар төлөөгүй байна.',
    ],
    [
      'Vietnamese: a family name and tuberculosis',
      'medical',
      'Nhân viên Phạm Văn Long ở phòng kho bị lao phổi, đang điều trị ở bệnh viện.',
    ],
    ['Chinese: a unit before the name, leukaemia', 'medical', '销售部张伟上个月查出白血病，正在住院治疗。'],
    ['Thai: a name before the team, tuberculosis', 'medical', 'พี่สุนทร ใจดี ฝ่ายขาย เป็นวัณโรค ต้องหยุดงานสองสัปดาห์'],
    ['Khmer: a name before the department', 'special_category', 'ចាន់ សុភា នៅផ្នែកគណនេយ្យ ជាមនុស្សស្រឡាញ់ភេទដូចគ្នា។'],
    ['Sinhala: a name before the title, depression', 'medical', 'සුනිල් ජයසිංහ මහතාට මානසික අවපීඩනය ඇති බව වෛද්‍යවරු කිව්වා.'],
    ['Yoruba: a name with tone-marked dotted letters, Ifa', 'special_category', 'Tèmítọ́pẹ́ Ògúnlànà ti di olùsìn Ifá, kò lọ sí ṣọ́ọ̀ṣì mọ́.'],
    ['Korean: a staff title, panic disorder', 'medical', '회계팀 박서준 사원이 공황장애로 정신건강의학과 진료를 받고 있습니다.'],
    [
      "German: Jehovah's Witnesses in the plural",
      'special_category',
      'Herr Markus Weber aus dem Lager gehört seit Kurzem zu den Zeugen Jehovas.',
    ],
    ["Czech: Jehovah's Witnesses in the genitive", 'special_category', 'Jana Nováková z účetnictví je od jara u Svědků Jehovových.'],
    [
      'Afrikaans: a prison sentence served',
      'special_category',
      'Johan Botha het drie jaar tronkstraf uitgedien vir diefstal en is nou op parool.',
    ],
    ['Tagalog: still detained', 'special_category', 'Si Jomar Villanueva ay nakakulong pa rin sa Bilibid dahil sa estafa.'],
    ['Slovak: temporary refuge', 'special_category', 'Naša kolegyňa Iryna Kovalenková má na Slovensku dočasné útočisko do marca.'],
    [
      'French: a gender transition',
      'special_category',
      'Notre collègue Julien Marchand entame une transition de genre et souhaite être genrée au féminin.',
    ],
    [
      'Russian: lives with a boyfriend',
      'special_category',
      'Наш дизайнер Павел Орлов уже три года живёт с парнем, но на работе об этом не знают.',
    ],
    ['Hungarian: said he is gay', 'special_category', 'Szabó Péter a könyvelésről elmondta nekem, hogy meleg.'],
    ['Serbian Cyrillic: a stroke', 'medical', 'Наш возач Милош Петровић је имао мождани удар прошле недеље.'],
    ['Amharic: without legal papers', 'special_category', 'አቶ በላይ ከበደ ያለ ሕጋዊ ሰነድ በዱባይ ይሰራል።'],
    ['Irish: international protection', 'special_category', 'Tá Amina Yusuf ag fanacht ar chinneadh faoi chosaint idirnáisiúnta ón IPO.'],
    [
      'Kotlin: an infix xor hides an API key',
      'credential',
      'val enc = intArrayOf(0x63, 0x3c, 0x68, 0x39, 0x6d, 0x3b, 0x6b, 0x3f, 0x6e, 0x38, 0x62, 0x3e, 0x69, 0x3c, 0x6c, 0x3b, 0x6a, 0x39, 0x6f, 0x3f, 0x6d, 0x38, 0x63, 0x3e, 0x68, 0x3c, 0x6e, 0x3b, 0x6c, 0x39, 0x62, 0x3f)\nval apiKey = String(CharArray(enc.size) { (enc[it] xor 0x5A).toChar() })\nclient.auth(apiKey)',
    ],
    [
      'Python: a ROT13 password',
      'credential',
      "import codecs, psycopg2\ndb_password = codecs.decode('Kc7#mQ9!vLr2', 'rot13')\nconn = psycopg2.connect(host='db1', user='etl', password=db_password)",
    ],
    [
      'C#: String.Format of literals',
      'credential',
      'var apiSecret = String.Format("{0}{1}", "xK9#pL2m", "Qv7!rT4z");\nclient.Authenticate(apiSecret);',
    ],
    [
      'C: %d and %c holes',
      'credential',
      'char pass[32];\nsprintf(pass, "%s%d%c%s", "Tq8z", 4471, \'#\', "Wmv");\nmysql_real_connect(c, "db", "app", pass, "shop", 0, NULL, 0);',
    ],
    [
      'XML: a password element',
      'credential',
      '<servers>\n  <server>\n    <id>artifactory</id>\n    <username>ci-bot</username>\n    <password>Sommer2024!xq</password>\n  </server>\n</servers>',
    ],
    ['Japanese: パス before a password', 'credential', 'ステージングDBの接続情報です。ユーザー: deploy パス: Zx8!qT4m#Wk2'],
    ['Vietnamese: SĐT near "tin"', 'phone', 'Gửi tin xác nhận cho khách Lê Văn Tám, SĐT 0983 112 457, giao buổi chiều.'],
    ['Mongolian: утас', 'phone', 'Хүргэлтийн хаяг: Бат-Эрдэнэ, утас 8811-2234, Сүхбаатар дүүрэг.'],
  ])('%s', (_name, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('organisations, placeholders, code that reads secrets and public or general texts, not flagged', () => {
  it.each([
    [
      'Portuguese: a general line',
      'Revise o rodapé: para dúvidas ligue para a linha geral 21 345 6789 ou escreva para apoio@loja-norte.pt.',
    ],
    ['Swahili: a placeholder number of zeros', 'Nisaidie kuandika tangazo la Nairobi: kwa msaada piga 0722 000 000 au tuma ujumbe.'],
    [
      "French: a company's address",
      'Mettez à jour le pied de page : Menuiserie Dupuis SARL · 8 rue des Lilas, 69003 Lyon · contact@menuiserie-dupuis.fr',
    ],
    ['Japanese: a switchboard', 'お問い合わせ先：株式会社サクラ物流 総務部 代表電話 06-6123-4567 までお願いします。'],
    ['Ruby: an interpolated URL password', 'uri = "smtps://mailer:#{SMTP_PASSWORD}@smtp.mailhost.io:465"'],
    [
      'a masked Bearer value in a log',
      'DEBUG headers={"Authorization": "Bearer rk_live_****************************", "Accept": "application/json"}',
    ],
    ['Ruby: a constant path as credentials', 'Aws.config.update(region: "eu-west-1", credentials: Aws::InstanceProfileCredentials.new)'],
    ["Arabic: a novel's plot", 'لخص لي رواية «موسم الهجرة إلى الشمال» للطيب صالح: مصطفى سعيد يدخل السجن في لندن بعد جريمة قتل.'],
    [
      'English: a visa route',
      'If a Skilled Worker visa holder loses their job, how long before curtailment, and can they still apply for indefinite leave to remain?',
    ],
    ['Portuguese: a recruitment mailbox', 'Revise o anúncio: candidaturas para recrutamento@transportes-lusitania.pt até dia 30.'],
    [
      'Macedonian: no real person',
      'Објасни ја разликата меѓу притвор и казна затвор во Северна Македонија, со општ пример без вистински лица.',
    ],
  ])('%s', (_name, text) => {
    expect(scanPrivacy(text).findings.filter((f) => f.category !== 'url')).toEqual([]);
  });
});
