import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the twelfth blind evaluation (data/router/privacy-blind-12.jsonl) found missed or falsely flagged,
// generalised (version 14; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 13.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('an identifier named by its own table column (a CSV header), not just right before it', () => {
  it.each([
    [
      'a Vietnamese CCCD under so_cccd',
      'so_cccd,ho_va_ten_day_du_cua_khach_hang,dia_chi_thuong_tru_cua_khach_hang,ghi_chu_noi_bo\n079203004518,Lê Minh Khoa,TP.HCM,khách hàng thân thiết\n001196027731,Phạm Thu Trang,Hà Nội,mới',
    ],
    [
      'an Indonesian NIK under nik, two columns later',
      'no;nik;nama_lengkap;kota_lahir;tanggal_lahir;pekerjaan;status\n1;3273014507880003;Rina Kartika Sari;Bandung;1988-07-05;guru;aktif\n2;3174055207900004;Dewi Anggraini Putri;Jakarta;1990-07-12;perawat;aktif',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it('every row of a long table is found under its column, not only the first few hundred', () => {
    // (the header was looked for at most 500 lines up, and each row walked up on its own: a 2,000-row table found
    // 500 rows, in 3.5 s; the block's header is now remembered from row to row)
    const rows = ['no;nik;nama;kota'];
    for (let i = 0; i < 2000; i++) rows.push(`${i};3273014507${String(880003 + i).padStart(6, '0')};Nama ${i};Bandung`);
    const found = scanPrivacy(rows.join('\n')).findings.filter((f) => f.category === 'national_id');
    expect(found.length).toBe(2000);
  });
  it('the same numbers under other columns are not', () => {
    expect(flagged('ma_don,san_pham,ma_van_don,ghi_chu\nDH-1,Áo khoác,079203004518,giao nhanh')).toBe(false);
  });
});

describe('the Hungarian TAJ number and psychiatric terms in more languages', () => {
  it.each([
    ['a TAJ after its name', 'Kérem a kártya pótlását: Szabó Bence, TAJ-szám: 047 283 156, lakcím: Debrecen.'],
    [
      'a psychiatric admission in Hungarian prose',
      'Kollégánk, Tóth Eszter a jövő héttől pszichiátriai kezelésre megy, kérlek, oszd be helyette Pétert.',
    ],
    ['bipolar disorder of a named person in Polish', 'Pan Marek Wójcik ma chorobę dwubiegunową i jest na zwolnieniu do końca miesiąca.'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['a TAJ-shaped number without its name', 'Rendelésszám: 047 283 156, kiszállítás holnap.'],
    ['a question about bipolar disorder', 'Milyen a bipoláris zavar kezelése? Írj egy rövid ismeretterjesztő cikket.'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('a user name and password passed together as a basic-auth pair', () => {
  it.each([
    ['a requests auth tuple', 'resp = requests.post(url, json=body, auth=("etl-bot", "Vq4!rT9#mZp2"))'],
    ['an OkHttp Credentials.basic', 'val credential = Credentials.basic("jenkins", "9hT!kq2Lw#Xz")'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['values from the environment', 'auth=(os.environ["USER"], os.environ["PASSWORD"])'],
    ['placeholders', 'auth=HTTPBasicAuth("username", "password")'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('example numbers in a validator question', () => {
  it.each([
    [
      'an example IBAN that a regex rejects',
      'My validator rejects the example IBAN DE91 1000 0000 0123 4567 89 from the docs when it has spaces. How do I fix /^DE\\d{20}$/?',
    ],
    [
      'a sequential My Number with its check digit in a test',
      'マイナンバーの検証関数のテストです。例として 234567890127 ではなく 123456789018 を使っています。\nassert is_valid("123456789018")',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it('an IBAN in a customer record still is', () => {
    expect(flagged('Kunde: Jonas Albrecht, IBAN DE33 5001 0517 6483 9201 75, bitte Lastschrift einziehen.')).toBe(true);
  });
});

// Classes the thirteenth blind evaluation (data/router/privacy-blind-13.jsonl) found (version 15): both "is flagged"
// cases and the asterisk case failed on version 14; the bullet case is a guard that passed on both.
describe('the thirteenth blind set: a South African ID after an Afrikaans label; masked values', () => {
  it.each([
    ['a spaced SA ID after ID-nommer', 'Kliënt: Johannes Petrus Botha\nID-nommer: 790415 5123 082\nMaandelikse inkomste: R42 000'],
    ['an SA ID after identiteitsnommer', 'Identiteitsnommer van die aansoeker: 8509120091089, adres Stellenbosch'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['an ID masked with asterisks after its label', "const u = { name: 'Wang Fang', idCard: '110101********1234', phone: '138****5678' }"],
    ['an ID masked with bullets', 'Ausweisnummer: 4711••••0815 (nur die ersten und letzten vier Stellen werden angezeigt)'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});
