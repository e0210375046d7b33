import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the tenth blind evaluation (data/router/privacy-blind-10.jsonl) found missed or falsely flagged,
// generalised (version 12; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 11.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('a secret kept as a byte array in source and turned into a string at run time', () => {
  it.each([
    [
      'a Rust u8 array of hex bytes sent as a header',
      'const TOKEN: [u8; 40] = [0x67, 0x68, 0x70, 0x5f, 0x52, 0x38, 0x6b, 0x71, 0x32, 0x5a, 0x78, 0x54, 0x34, 0x6d, 0x4e, 0x63, 0x56, 0x37, 0x62, 0x4c, 0x31, 0x70, 0x57, 0x73, 0x39, 0x65, 0x59, 0x64, 0x33, 0x75, 0x48, 0x66, 0x36, 0x6a, 0x41, 0x6f, 0x30, 0x47, 0x69, 0x4b];\nlet auth = format!("token {}", String::from_utf8_lossy(&TOKEN));',
    ],
    [
      'a C array of decimal bytes',
      'static const unsigned char k[] = {115, 107, 95, 108, 105, 118, 101, 95, 53, 49, 72, 113, 76, 114, 56, 75, 122, 50, 86, 109, 88, 99, 55, 84, 110, 52, 80, 98, 87, 57, 121, 81, 97};\n/* passed to stripe_init(k) */',
    ],
    [
      'a Go byte slice',
      'var tok = []byte{0x67, 0x68, 0x70, 0x5f, 0x52, 0x38, 0x6b, 0x71, 0x32, 0x5a, 0x78, 0x54, 0x34, 0x6d, 0x4e, 0x63, 0x56, 0x37, 0x62, 0x4c, 0x31, 0x70, 0x57, 0x73, 0x39, 0x65, 0x59, 0x64, 0x33, 0x75, 0x48, 0x66, 0x36, 0x6a, 0x41, 0x6f, 0x30, 0x47, 0x69, 0x4b}',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    [
      'bytes that spell a greeting',
      'const MSG: [u8; 29] = [0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x66, 0x72, 0x6f, 0x6d, 0x20, 0x74, 0x68, 0x65, 0x20, 0x66, 0x69, 0x72, 0x6d, 0x77, 0x61, 0x72, 0x65, 0x2c, 0x20, 0x76, 0x32, 0x2e, 0x33];',
    ],
    [
      'a PNG signature and header',
      'const PNG: [u8; 16] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52];',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('a random key written as a literal into a MAC or cipher call', () => {
  it.each([
    [
      'a hex key in createHmac',
      "const sig = crypto.createHmac('sha256', 'affa00b56b0e8c8065028fbc16b2fa4b9e977911e65e156766950a9c5eea3e4a').update(body).digest('hex');",
    ],
    ['a string key in Go hmac.New', 'mac := hmac.New(sha256.New, []byte("q8ZrT2xWvB8mLpQe5sYdN1uF0cJg4oHk"))'],
    [
      'a base64 key in Python hmac.new',
      'digest = hmac.new(base64.b64decode("nbufptE+vYcdQ9XkmEM+6E6J1OEEJ3Yr"), payload, hashlib.sha256).hexdigest()',
    ],
    [
      'a hex key in a Java SecretKeySpec',
      'SecretKeySpec spec = new SecretKeySpec(Hex.decode("affa00b56b0e8c8065028fbc16b2fa4b9e977911e65e156766950a9c5eea3e4a"), "HmacSHA256");',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    [
      'an expected digest compared in a test',
      'assert hashlib.sha256(b"abc").hexdigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"',
    ],
    ['a key read from the environment', "const sig = crypto.createHmac('sha256', process.env.WEBHOOK_SECRET).update(body).digest('hex');"],
    [
      'the key of an RFC 4231 test vector',
      'mac = hmac.new(bytes.fromhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), b"Hi There", hashlib.sha256)',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('the religion of named people', () => {
  it.each([
    [
      'German shift notes',
      'Schichtplan Mai:\n- Mehmet Yılmaz: praktizierender Muslim, fastet im Ramadan\n- Jonas Weber: Zeuge Jehovas, nimmt an keinen Feiern teil',
    ],
    ['an English rota', 'Rota notes: Priya Nair (practising Hindu, needs Diwali off), Daniel Katz (observant Jew, no Saturday shifts).'],
    ['Spanish HR notes', 'Notas de RR. HH.: Ahmed El Amrani es musulmán practicante y pide salir antes durante el Ramadán.'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['a question about fasting hours', 'Explain how Ramadan fasting hours change across latitudes for a practising Muslim.'],
    ['an essay prompt', "Write an essay comparing the missionary work of Jehovah's Witnesses and of the Latter-day Saints."],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('addiction treatment of a named person, in prose', () => {
  it.each([
    [
      'a residential programme for alcohol dependence',
      'Please word this kindly for HR: Tomasz Wiśniewski from the Poznań depot has just finished an eight-week residential programme for alcohol dependence and needs day shifts.',
    ],
    [
      'a German Suchtklinik',
      'Frau Sabine Krüger war sechs Wochen in einer Suchtklinik zum Alkoholentzug und möchte jetzt in Teilzeit arbeiten.',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['an explainer', 'Write an explainer on how inpatient rehab programmes for alcohol dependence work.'],
    ['a research summary', 'Summarise the research on methadone maintenance therapy outcomes in Europe.'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('Russian SNILS and INN, and the Emirates ID', () => {
  it.each([
    ['a SNILS and INN table', 'ФИО;СНИЛС;ИНН\nПетрова Анна Сергеевна;112-233-445 95;500311234527'],
    [
      'an Emirates ID after an Arabic label that names it',
      'شهادة لمن يهمه الأمر\nالاسم: خالد سالم المنصوري\nرقم الهوية الإماراتية: 784-1987-2345678-0',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['the Emirates ID format', 'The Emirates ID format is 784-YYYY-NNNNNNN-C; write a regex that validates it.'],
    ['an order number shaped like a SNILS without its checksum', 'Order 112-233-445 96 shipped today.'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('an identifier in an SQL insert, named by its column', () => {
  it.each([
    [
      'an NIK in a failed insert, its column far from its value',
      '[2024-03-01 10:00:00] production.ERROR: insert into warga (nik, nama_lengkap, tempat_lahir, tanggal_lahir, alamat_rumah) values (3174055207900004, Dewi Lestari, Jakarta, 1990-07-12, Jl. Melati 5)',
    ],
    [
      'an unformatted SSN by its column',
      "ERROR: duplicate key\nINSERT INTO employees (ssn, full_name, hired) VALUES ('524718306', 'Karen Mills', '2021-04-01');",
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it('the same number under an order column is not', () => {
    expect(flagged("INSERT INTO orders (order_id, total, status) VALUES (3174055207900004, 19.99, 'paid');")).toBe(false);
  });
});

describe('documented sample values and sample documents are not findings', () => {
  it.each([
    ['a specimen card in capitals', 'Muster für den OCR-Test: MAX MUSTERMANN, geb. 01.01.1983, Ausweisnummer L01X00T47.'],
    [
      'an encoded RFC 6749 client pair',
      "curl -H 'Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW' https://server.example.com/token -d grant_type=client_credentials",
    ],
    ['a PEM block whose key was removed', 'server.key:\n-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n-----END RSA PRIVATE KEY-----'],
    [
      'an OpenSSH block with a note instead of a key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\n(removed before posting)\n-----END OPENSSH PRIVATE KEY-----',
    ],
    [
      'synthetic rows that say no real people are in them',
      'This table is synthetic, none of these are real patients:\nid,name,date of birth\n1,Test Patient A,1981-03-12\n2,Test Patient B,1975-11-30',
    ],
    [
      'a clinical reasoning exercise',
      'Clinical reasoning exercise for my tutorial group: a 61-year-old woman presents with new-onset atrial fibrillation, palpitations and dyspnoea; she takes bisoprolol 2.5 mg. What are the first-line investigations?',
    ],
    [
      'a nursing class case study',
      'Case study for our nursing class: a 72-year-old man with COPD presents with increasing dyspnoea, fever and a productive cough. What are the nursing priorities?',
    ],
    [
      'the Kubernetes documentation secret, decoded',
      "kubectl create secret generic db-user-pass --from-literal=username=admin --from-literal=password='S!B\\*d$zDsb='",
    ],
    ['the Kubernetes documentation secret, encoded', 'data:\n  username: YWRtaW4=\n  password: MWYyZDFlMmU2N2Rm'],
    ['a fictional-range number after a country code', 'Contacts:\n("Alex Kim", "+1 415 555 0123", "alex@example.org")'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it.each([
    [
      'a PEM block with key material',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----',
    ],
    [
      'a real discharge note',
      'Please summarise this discharge note: 72-year-old man admitted 03/11 with a COPD exacerbation, productive cough and fever, started on prednisolone 40 mg and doxycycline.',
    ],
    ['a nine-digit BSN of someone, cued', 'Het BSN van de klant is 231 456 700, graag controleren.'],
  ])('%s is still flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});
