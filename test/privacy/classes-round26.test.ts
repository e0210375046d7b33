import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Special-category terms as a class (version 27, terms; data/router/README.md): criminal record, religion, trade-union
// membership, medical procedures and results, immigration status, orientation and gender identity, debts, pregnancy,
// disability and mental health, in many languages (src/engine/privacy/special-terms-ml.ts). Every case is a new example
// written for this test, not a data row; each "is found" case failed on version 27 before the terms.
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

describe('special-category terms about a named person, found', () => {
  it.each([
    // 1. criminal record
    [
      'English: served time',
      'special_category',
      'Reference for Gareth Pemberton: he told me he served time for burglary in 2012 and has been clean since.',
    ],
    [
      'Spanish: cumplió condena',
      'special_category',
      'Sobre Ignacio Ferrer Lozano: cumplió condena por estafa y ahora busca trabajo en el almacén.',
    ],
    [
      'Swedish: dömdes till fängelse',
      'special_category',
      'Vår hyresgäst Mikael Sandberg dömdes förra året och satt i fängelse i åtta månader.',
    ],
    ['Indonesian: dipenjara', 'special_category', 'Pak Budi Santoso dari bagian gudang pernah dipenjara dua tahun karena penipuan.'],
    ['Armenian: դատապարտվել', 'special_category', 'Մեր աշխատակից Գևորգ Սարգսյանը դատապարտվել է խարդախության համար։'],
    // 2. religion
    ['French: fait le ramadan', 'special_category', 'Karim Haddad (logistique) fait le ramadan cette année, merci de décaler la réunion.'],
    ['Dutch: gereformeerd', 'special_category', 'Jan-Willem Bakker is streng gereformeerd en werkt niet op zondag.'],
    ['Hindi: धर्म अपना लिया', 'special_category', 'सुनील वर्मा जी ने ईसाई धर्म अपना लिया है और वे अब दिवाली पूजा में नहीं आएंगे।'],
    ['Malay: memeluk Islam', 'special_category', 'Encik Tan Chee Keong dari jabatan kewangan baru memeluk Islam bulan ini.'],
    // 3. trade union
    ['Persian: سندیکا', 'special_category', 'آقای مهدی کریمی عضو سندیکای رانندگان است و در اعتصاب شرکت کرد.'],
    ['Chinese: 加入工会', 'special_category', '财务部的张伟峰最近加入工会了，别在群里说。'],
    ['Korean: 노조', 'special_category', '영업팀 이준혁 과장이 노조에 가입했다고 들었어요.'],
    ['Slovak: odborová organizácia', 'special_category', 'Ing. Peter Baláž je predsedom odborovej organizácie v našej firme.'],
    // 4. medical procedure or result
    ['Portuguese: colonoscopia', 'medical', 'A colega Sofia Marques Pereira fez uma colonoscopia ontem e está de baixa.'],
    ['Hungarian: műtét', 'medical', 'Nagy Eszter a múlt héten szívműtéten esett át, két hétig nem jön.'],
    ['Amharic: ቀዶ ጥገና', 'medical', 'ወ/ሮ ሰላማዊት ግርማ ባለፈው ወር ቀዶ ጥገና ተደርጎላታል።'],
    // 5. immigration status
    ['Swedish: utvisningsbeslut', 'special_category', 'Min kollega Dawit Haile har fått ett utvisningsbeslut från Migrationsverket.'],
    ['Tamil: அகதி', 'special_category', 'என் நண்பர் ரமேஷ் குமாரசாமி இலங்கையிலிருந்து அகதியாக வந்தவர்.'],
    ['Georgian: დეპორტაცია', 'special_category', 'ჩემი ძმა გიორგი ბერიძე დეპორტაციის საფრთხის წინაშეა.'],
    // 6. orientation and gender identity
    ['Russian: бисексуален', 'special_category', 'Мой коллега Дмитрий Орлов признался, что он бисексуален.'],
    ['Danish: transmand', 'special_category', 'Min nabo Søren Kjeldsen er transmand og har ikke fortalt det på arbejdet.'],
    ['Japanese: 性同一性障害', 'special_category', '総務部の山田花子さんは性同一性障害の診断を受けています。'],
    // 7. debt
    ['Finnish: ulosotto', 'financial', 'Vuokralaisemme Jussi Mäkinen on ulosotossa ja vuokra on kolme kuukautta maksamatta.'],
    ['Croatian: blokiran račun', 'financial', 'Naš radnik Marko Babić ima blokiran račun zbog dugova prema banci.'],
    ['Urdu: واجب الادا', 'financial', 'ہمارے ملازم عمران علی پر بینک کے دو لاکھ روپے واجب الادا ہیں۔'],
    // 8. pregnancy, disability, mental health
    ['Vietnamese: mang thai', 'medical', 'Nhờ bạn viết email: chị Lê Thị Mai Anh đang mang thai tháng thứ tư, xin nghỉ phép.'],
    ['Thai: โรคซึมเศร้า', 'medical', 'คุณสมศักดิ์ วงศ์ใหญ่ เป็นโรคซึมเศร้า กำลังรักษากับจิตแพทย์'],
    [
      'German: Schwerbehinderung',
      'medical',
      'Herr Tobias Reinhardt hat eine Schwerbehinderung und braucht einen Parkplatz nahe dem Eingang.',
    ],
  ])('%s is found', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('special-category terms about no one, a public figure or in a general question, not flagged', () => {
  it.each([
    ['a public figure in a short bio', 'Write a short bio of Nelson Mandela: he served time on Robben Island and was released in 1990.'],
    ['a Turkish legal question about Friday prayers', 'İşveren, bir çalışanın Cuma namazına gitmesine izin vermek zorunda mı?'],
    [
      'a Vietnamese blog explanation of bad debt',
      'Giải thích khái niệm nợ xấu trong hệ thống ngân hàng Việt Nam, không liên quan đến ai cụ thể.',
    ],
    ['a Swedish statistics question on expulsions', 'Hur många utvisningsbeslut fattade Migrationsverket under 2023?'],
    ['a German question on disability law', 'Welche Rechte hat ein Arbeitnehmer mit Schwerbehinderung bei einer Kündigung?'],
    ['a Portuguese health question about no one', 'Com que idade se deve fazer a primeira colonoscopia de rastreio?'],
    ['a Chinese question on unions in general', '公司员工加入工会需要什么手续？'],
    ['a Finnish question on enforcement', 'Kuinka paljon palkasta voidaan ulosottaa, jos velallisella on huollettavia?'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});
