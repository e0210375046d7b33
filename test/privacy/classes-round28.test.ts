import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Version 28 (data/router/README.md): the classes privacy-blind-26 and privacy-tune-4 still missed or flagged, as
// classes: the special categories' words in the languages the lists lacked (Slovenian, Baltic, Icelandic, Marathi,
// Telugu, Punjabi, Khmer, Burmese, Yoruba, Hausa, Somali, Azerbaijani, Kazakh, Uzbek, Catalan, Basque, Galician,
// Albanian, Macedonian, Mongolian, Nepali, Sinhala, Lao, Zulu, Welsh, Irish, Maltese) and more words in the others; a
// person named in those scripts and cultures, and Cyrillic and Greek names read on the normalised text the scanner
// scans; a law's or a ministry's name, a definite role in a legal question and a public figure in more languages are no
// private person. Every case is a new example written for this test, not a data row; each failed on version 27 (s9/base).
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

describe("a named person's special category in more languages, found", () => {
  it.each([
    // criminal record
    ['Slovenian: v zaporu', 'special_category', 'Naš skladiščnik Boštjan Kranjc je bil dve leti v zaporu zaradi tatvine.'],
    ['Lithuanian: nuteistas', 'special_category', 'Mūsų vairuotojas Tomas Petrauskas buvo nuteistas už sukčiavimą.'],
    ['Albanian: u dënua', 'special_category', 'Kolegu ynë Arben Hoxha u dënua me dy vjet burgim për mashtrim.'],
    ['Kazakh: сотталған', 'special_category', 'Біздің жүргізуші Нұрлан Сейітов бұрын сотталған, оны тексеру керек пе?'],
    // religion
    ['Azerbaijani: dinini dəyişib', 'special_category', 'Mühasibimiz Tural Həsənov dinini dəyişib, indi xristiandır.'],
    ['Catalan: musulmana', 'special_category', 'La Núria Puig, de comptabilitat, és musulmana i fa el ramadà aquest mes.'],
    ['Korean: 원불교', 'special_category', '인사팀 김도윤 대리가 원불교 교당에 매주 나간다고 합니다.'],
    ['Hebrew: חזר בתשובה', 'special_category', 'תכתוב לוועד: אסף לוי חזר בתשובה ולא יגיע לאירוע בשבת.'],
    // trade union
    ['Latvian: arodbiedrība', 'special_category', 'Mūsu grāmatvede Ilze Bērziņa iestājās arodbiedrībā pagājušajā mēnesī.'],
    ['Telugu: కార్మిక సంఘం', 'special_category', 'మా డ్రైవర్ రాజేష్ రెడ్డి గారు కార్మిక సంఘం కార్యదర్శి అయ్యారు.'],
    [
      'English: card-check',
      'special_category',
      'Note for HR: Derek Holloway started the card-check drive with the Teamsters in the depot.',
    ],
    // immigration
    ['Estonian: elamisluba', 'special_category', 'Meie kokk Mart Kask ootab elamisloa pikendamist, tal pole praegu kehtivat elamisluba.'],
    ['Somali: magangalyo', 'special_category', 'Walaalkay Maxamed Cali Nuur wuxuu codsaday magangalyo Norway, balse waa la diiday.'],
    ['Georgian: უსაბუთოდ', 'special_category', 'ჩემი მეზობელი ლევანი კაპანაძე იტალიაში უსაბუთოდ მუშაობს.'],
    // orientation and gender identity
    [
      'Icelandic: samkynhneigður',
      'special_category',
      'Samstarfsmaður minn Einar Jónsson er samkynhneigður og vill ekki að yfirmaðurinn viti það.',
    ],
    ['Marathi: समलिंगी', 'special_category', 'आमचा सहकारी महेश कुलकर्णी समलिंगी आहे, हे कोणालाही सांगू नका.'],
    ['Chinese: 是同志', 'special_category', '請改寫：會計部的陳建宏其實是同志，請不要在聚餐時開他玩笑。'],
    // debt
    ['Punjabi: ਕਰਜ਼ਾ', 'financial', 'ਸਾਡੇ ਡਰਾਈਵਰ ਹਰਜੀਤ ਸਿੰਘ ਗਿੱਲ ਨੇ ਬੈਂਕ ਦਾ ਕਰਜ਼ਾ ਛੇ ਮਹੀਨਿਆਂ ਤੋਂ ਨਹੀਂ ਮੋੜਿਆ।'],
    ['Czech: dluží', 'financial', 'Napiš upomínku: pan Radek Novotný dluží za nájem 32 000 Kč za čtyři měsíce.'],
    ['Uzbek: qarz', 'financial', "Hisobchimiz Sardor Karimov bankdan olgan qarzini to'lamayapti, sud ijrochisi xat yubordi."],
    ['Khmer: ជំពាក់', 'financial', 'លោក ចាន់ ដារ៉ា បុគ្គលិកហាង ជំពាក់ប្រាក់កម្ចីធនាគារ ៣០០០ ដុល្លារ។'],
    // medical
    ['Ukrainian name in the genitive: діабет', 'medical', 'Напиши лист: у нашого бухгалтера Андрія Коваленка виявили цукровий діабет.'],
    ['Russian patronymic: рак', 'medical', 'Ольга Петровна Смирнова, наш юрист, перенесла операцию, гистология показала рак.'],
    ['Portuguese: ressonância', 'medical', 'A Inês Ferreira, da contabilidade, fez uma ressonância e tem uma hérnia; vai ser operada.'],
    ['Yoruba: jẹjẹrẹ', 'medical', 'Arábìnrin Funmilayo Adebayo ní ẹ̀ka ìṣirò ní jẹjẹrẹ, ó nílò ìsinmi.'],
    ['Vietnamese: viêm gan', 'medical', 'Chị Lê Thị Mai phòng kế toán vừa phát hiện viêm gan B, xin nghỉ hai tuần.'],
    // pregnancy, disability, mental health
    ['Burmese: ကိုယ်ဝန်', 'medical', 'စာရင်းဌာနက မသန်းသန်းဝင်း ကိုယ်ဝန်ရှိနေလို့ ခရီးမသွားနိုင်ပါ။'],
    ['Uzbek: bipolyar', 'medical', 'Iltimos yozing: dizaynerimiz Nodira Yusupova bipolyar buzilish bilan psixiatrda davolanmoqda.'],
    ['Slovenian: nosečnost', 'medical', 'Gospa Špela Novak iz računovodstva je noseča, zato ne more na službeno pot.'],
  ])('%s', (_name, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('the same words about no private person, not flagged', () => {
  it.each([
    ['Hungarian: a law on union officials', 'Foglald össze, hogyan szabályozza a Munka Törvénykönyve az üzemi tanács tagjainak védelmét.'],
    ['Greek: asylum statistics of a ministry', 'Πόσα αιτήματα ασύλου εξέτασε το Υπουργείο Μετανάστευσης το 2022; Μόνο συνολικά στοιχεία.'],
    [
      'Spanish: a definite role in a legal question',
      '¿Puede la empresa despedir al trabajador por estar afiliado a un sindicato? Quiero la respuesta general.',
    ],
    [
      'Russian: a novel in a literature class',
      'Расскажи о повести Лидии Зиновьевой-Аннибал «Тридцать три урода» и её лесбийской теме для урока литературы.',
    ],
    [
      'Icelandic: a head of government, publicly',
      'Skrifaðu stutta samantekt um Jóhönnu Sigurðardóttur, fyrsta forsætisráðherrann sem var opinberlega samkynhneigð.',
    ],
    ['Slovenian: bankruptcy as a topic', 'Kako poteka osebni stečaj v Sloveniji? Potrebujem splošen opis postopka.'],
    ['Catalan: a question about pregnancy', 'Quines proves es fan a una dona embarassada durant el primer trimestre?'],
    ['Lithuanian: cancer statistics', 'Kiek Lietuvoje kasmet diagnozuojama skydliaukės vėžio atvejų? Reikia tik statistikos.'],
  ])('%s', (_name, text) => {
    expect(scanPrivacy(text).findings.filter((f) => f.category !== 'url')).toEqual([]);
  });
});
