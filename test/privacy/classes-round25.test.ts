import { describe, expect, it } from 'vitest';
import { personMlPattern, personNamedMl } from '../../src/engine/privacy/person.js';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// A private person named in other languages and scripts (version 27, persons: person.ts personNamedMl and more given
// names), the person side of the special-category misses of data/router/privacy-tune-4.jsonl. Every case is a new
// example written for this test, not a data row; each "is found" case failed on main e4a634f, with a term the scanner
// already knew (the same text with an English name was found).
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

describe('a person named in another language or script: found', () => {
  it.each([
    [
      'a colleague named in Georgian with a given name and a -ძე surname',
      'medical',
      'დამიწერე წერილი: ჩვენს თანამშრომელ ნინო ბერიძეს HIV აქვს და მკურნალობას იწყებს.',
    ],
    [
      'a colleague named in Armenian with a -յան surname',
      'medical',
      'Օգնիր նամակով։ Մեր աշխատակից Կարեն Սարգսյանի որդին ունի ADHD և autism։',
    ],
    [
      'a salesman named in Arabic by a known given name',
      'medical',
      'ساعدني في رسالة للمدير: أحمد الشمري من قسم المبيعات مصاب بالسكري ويحتاج استراحة قصيرة.',
    ],
    [
      'a warehouse worker named in Persian after آقای',
      'medical',
      'لطفاً یک نامه بنویس: آقای حمید رضایی از واحد انبار HIV مثبت است و درمان را شروع کرده است.',
    ],
    [
      'our manager named in Urdu after ہمارے',
      'medical',
      'یہ پیغام لکھ دیں: ہمارے منیجر کامران بٹ کا HIV ٹیسٹ مثبت آیا ہے اور وہ علاج شروع کر رہے ہیں۔',
    ],
    [
      'a team member named in Hebrew by a known given name',
      'medical',
      'תנסח לי הודעה למנהל: יעל לוי מהצוות שלנו גילתה שהיא נשאית HIV ומתחילה טיפול.',
    ],
    [
      'a woman named in Hindi after श्रीमती',
      'medical',
      'इस संदेश को ठीक कर दें: श्रीमती सुनीता वर्मा को डायबिटीज है और उन्हें दोपहर में इंसुलिन लेना होता है।',
    ],
    [
      'a woman named in Bengali after শ্রীমতী',
      'medical',
      'এই বার্তাটা গুছিয়ে দাও: শ্রীমতী রুমা দাস ক্যান্সারের চিকিৎসা নিচ্ছেন, তাই দুই মাস ছুটিতে থাকবেন।',
    ],
    [
      'a woman named in Tamil after திருமதி',
      'medical',
      'இந்த செய்தியை திருத்தவும்: திருமதி லதா ராமசாமி HIV சிகிச்சை எடுக்கிறார், அதனால் விடுப்பு தேவை.',
    ],
    [
      'a woman named in Thai after นางสาว with a family name',
      'medical',
      'ช่วยเขียนข้อความถึงหัวหน้า: นางสาวสุดา วงศ์ไทย เป็นเบาหวานและต้องฉีดอินซูลินตอนเที่ยง',
    ],
    ['a man named in Amharic after አቶ', 'medical', 'ይህን መልእክት አስተካክልልኝ፦ አቶ ሙሉጌታ ታደሰ HIV እንዳለበት ተረጋግጧል፤ ህክምና ጀምሯል።'],
    [
      'a section head named in Korean with his job title after the name',
      'medical',
      '보고서로 정리해줘: 영업팀 최지훈 과장이 우울증 진단을 받고 한 달 휴직을 신청했음.',
    ],
    ['a colleague named in Chinese after 同事', 'medical', '帮我写条消息：同事王建国最近确诊糖尿病，每天中午要打胰岛素。'],
    [
      'an employee named in Czech after "náš zaměstnanec"',
      'medical',
      'Pomoz mi s e-mailem: náš zaměstnanec Zdeněk Kolář má epilepsii a nesmí řídit vozík.',
    ],
    [
      "an Irish surname with an apostrophe (O'Sullivan)",
      'medical',
      "Help me word a note to the rota manager: Niamh O'Sullivan has epilepsy and can't do nights.",
    ],
  ])('%s is found (%s)', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('a title, a word or a public name that looks like a person: not flagged', () => {
  it.each([
    [
      'a Russian writer’s biography (a patronymic, a public figure)',
      'Напиши краткую биографию писателя: Фёдор Михайлович Достоевский страдал эпилепсией, и это отразилось в его романах.',
    ],
    [
      'a character of a novel the writer is writing, in Russian',
      'Я пишу роман: мой герой Лев Мышкин страдает эпилепсией. Помоги описать его приступ.',
    ],
    ['Thai "you" (คุณ) in a general question', 'คุณเป็นเบาหวานหรือเปล่า ถ้าเป็นควรตรวจน้ำตาลทุกวันและพบแพทย์สม่ำเสมอ'],
    ['the Thai word for employer (นายจ้าง), no one named', 'นายจ้างมีสิทธิ์ถามลูกจ้างว่าเป็นเบาหวานหรือไม่ ตามกฎหมายแรงงานไทย'],
    ['the Thai word for nurse (นางพยาบาล), no one named', 'นางพยาบาล ควรดูแลผู้ป่วยเบาหวานอย่างไร ช่วยสรุปแนวทางให้หน่อย'],
    ['Ho Chi Minh City in Vietnamese', 'Bệnh viện ở Thành phố Hồ Chí Minh điều trị tiểu đường cho bao nhiêu người mỗi năm?'],
    ['Hindi "sir" (श्रीमान) in a general question', 'श्रीमान, डायबिटीज के शुरुआती लक्षण क्या होते हैं? कृपया सरल भाषा में बताइए।'],
    ['the Tamil word for wedding (திருமணம்), which starts like திரு', 'திருமணத்துக்கு முன் HIV பரிசோதனை கட்டாயமா என்று சட்டம் என்ன சொல்கிறது?'],
    ['a Korean head of psychiatry meeting, no one named', '정신과 과장 회의에서 우울증 환자 상담 지침을 정리해줘.'],
    ['a Korean question about a regular employee', '정규직 사원이 우울증 진단을 받으면 회사에 알려야 하나요?'],
    ['a Chinese general question on high blood pressure', '患者的高血压是怎么引起的？糖尿病患者要注意什么？'],
    [
      'the Indonesian capital (Ibu Kota Nusantara), not a woman called Ibu',
      'Berapa jumlah pasien kanker di rumah sakit Ibu Kota Nusantara tahun lalu?',
    ],
    [
      'a Czech question about "an employee" with epilepsy',
      'Může zaměstnanec s epilepsií pracovat na vysokozdvižném vozíku? Co říká zákoník práce?',
    ],
    [
      'a Georgian training for "our company’s employees"',
      'ჩვენი კომპანიის თანამშრომლებისთვის HIV-ის შესახებ ტრენინგი გვინდა, დაგვეხმარე გეგმის შედგენაში.',
    ],
    [
      'Persian "ladies" and "gentlemen" in a statistics question',
      'آیا خانم‌ها بیشتر از آقایان به HIV مبتلا می‌شوند؟ آمار ایران را توضیح بده.',
    ],
    [
      'a Greek company named like a family (Παπαδόπουλος Α.Ε.)',
      'Η εταιρεία Παπαδόπουλος Α.Ε. χρηματοδοτεί έρευνα για τον HIV στην Ελλάδα. Γράψε ένα δελτίο τύπου.',
    ],
    ['an Armenian singer’s biography', 'Գրիր կարճ կենսագրություն։ Շառլ Ազնավուրը ծնվել է Փարիզում, իսկ նրա ծնողները գաղթականներ էին։'],
    [
      'a Serbian inventor’s biography',
      'Напиши кратку биографију: Никола Тесла је био проналазач и имао је опсесивно-компулзивни поремећај.',
    ],
    [
      'a Turkish company named like a surname (Demir Holding)',
      'Demir Holding çalışanlarına epilepsi farkındalık eğitimi düzenliyor; duyuru metni yaz.',
    ],
    // (two look-alikes a first draft of version 27 flagged: Vietnamese "Theo" is "according to", and -ცია ends
    // Georgian nouns like "presentation", not surnames)
    [
      'Vietnamese "Theo Bộ luật" (according to the Code)',
      'Theo Bộ luật Lao động, người lao động bị tiểu đường có được nghỉ thêm ngày phép không?',
    ],
    ['a Georgian noun ending like a surname (პრეზენტაცია)', 'მოამზადე პრეზენტაცია სტუდენტებისთვის: რა არის HIV და როგორ გადაეცემა?'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('personNamedMl (the alternatives grouped by script)', () => {
  it('answers as the one pattern of all of them', () => {
    const texts = [
      'ჩემი ძმა ლევან კაპანაძე',
      'آقای حمید رضایی',
      'श्रीमती सुनीता वर्मा',
      'Kovács Bence',
      'Ирина Сергеевна',
      'מר כהן',
      'Serkan Yıldırım',
      'นางสาวสุดา วงศ์ไทย',
      'አቶ ሙሉጌታ ታደሰ',
      '同事王建国最近',
      'a question about diabetes',
      'Theo Bộ luật Lao động',
      'ผู้ป่วยเบาหวาน',
      'В романе герой страдает',
      'καλημέρα σας',
    ];
    const whole = personMlPattern();
    for (const t of texts) expect(personNamedMl(t)).toBe(whole.test(t));
    expect(texts.filter((t) => personNamedMl(t)).length).toBe(10);
  });
});
