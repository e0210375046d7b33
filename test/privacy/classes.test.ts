import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the blind evaluation found missing (data/router/README.md): each case is a new example, not a blind-set row.
const cats = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

function myNumber(eleven: string): string {
  let sum = 0;
  for (let n = 1; n <= 11; n++) sum += Number(eleven[11 - n]) * (n <= 6 ? n + 1 : n - 5);
  const r = sum % 11;
  return eleven + (r <= 1 ? 0 : 11 - r);
}

describe('health information about a named person, in other languages', () => {
  it.each([
    [
      'de',
      'Arztbrief\nPatient: Jürgen Hoffmann, geb. 03.07.1961\nDiagnosen: Vorhofflimmern, Niereninsuffizienz Stadium 3\nTherapie: Apixaban 5 mg',
    ],
    ['it', 'Mio padre Giuseppe Ferri, nato il 12/04/1950, ha avuto un ictus e gli è stato diagnosticato un diabete di tipo 2.'],
    ['fr', 'Compte rendu: Mme Claire Dubois, née le 21/09/1977, hospitalisée pour une pneumopathie; antécédents: hypertension artérielle.'],
    ['es', 'Paciente: Lucía Moreno Gil, fecha de nacimiento 08/11/1988. Diagnóstico: trastorno bipolar, en tratamiento con litio.'],
    ['nl', 'Mijn moeder Anneke de Vries, geboren 14-02-1945, heeft de diagnose borstkanker gekregen en start met chemotherapie.'],
    ['pt', 'Paciente: João Carvalho, nascido em 30/06/1972, diagnosticado com insuficiência cardíaca.'],
  ])('%s clinical text about a named, dated person is medical', (_lang, text) => {
    expect(cats(text).has('medical')).toBe(true);
  });
  it('a general medical question in German is not', () => {
    expect(scanPrivacy('Was sind die häufigsten Symptome von Diabetes und wie wird die Diagnose gestellt?').sensitive).toBe(false);
  });
});

describe('Japanese personal data', () => {
  it('a My Number with a valid check digit near its label, written 4-4-4', () => {
    const n = myNumber('45910372860');
    const t = `マイナンバー: ${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)} を登録してください`;
    expect(cats(t).has('national_id')).toBe(true);
    const bad = n.slice(0, 11) + String((Number(n[11]) + 1) % 10);
    expect(cats(`個人番号 ${bad}`).has('national_id')).toBe(false);
  });
  it('Japanese mobile and landline numbers near 電話 / TEL', () => {
    expect(cats('連絡先 電話: 080-4417-2290').has('phone')).toBe(true);
    expect(cats('本社 TEL 06-6345-7781 まで').has('phone')).toBe(true);
  });
  it('a record with 氏名 / 生年月日 / 住所 labels', () => {
    const c = cats('氏名：佐藤 健一\n生年月日：1983年5月17日\n住所：大阪府大阪市北区梅田2-4-9');
    expect(c.has('person_name')).toBe(true);
    expect(c.has('date_of_birth')).toBe(true);
    expect(c.has('postal_address')).toBe(true);
  });
});

describe('passwords in prose or chat', () => {
  it.each([
    'you can log in, login is deploy / Tr4vel-Lamp-19',
    'creds for the staging box -> user: opsbot pass: q8Zr!mw2Lk',
    'the password for the wifi router is Kettle#Orange55',
    'ping me if it fails, pw hT6$kq93Bn',
    'fyi the ssh login on the bastion host is ops / Pl4net-Rover-31, rotate it later',
  ])('%s', (text) => {
    expect(cats(text).has('credential')).toBe(true);
  });
  it('redacts the password only, not its cue', () => {
    expect(scanPrivacy('ping me if it fails, pw hT6$kq93Bn').redacted).toBe('ping me if it fails, pw [REDACTED:credential]');
  });
  it('not ordinary prose', () => {
    expect(scanPrivacy('the login is slow / sometimes it times out').sensitive).toBe(false);
    expect(scanPrivacy('the password for the account is stored in the vault').sensitive).toBe(false);
  });
});

describe('passwords as command-line arguments', () => {
  it.each([
    "sshpass -p 'Wq9#tLm2vX' ssh deploy@10.0.4.7",
    'mysql -u report -pZx81kqPw7 -h db.internal sales',
    'PGPASSWORD=Lq0sPz93mx psql -h db -U app',
    'redis-cli -h cache -a R3disPw99kk ping',
    'htpasswd -b /etc/nginx/.htpasswd alice M1lk-Shake-42',
    'smbclient //fs/share -U carol%Bx7!pq2Lm',
    'mysqldump --password=Hq72nXp0zz shop > shop.sql',
  ])('%s', (text) => {
    expect(cats(text).has('credential')).toBe(true);
  });
  it('not the flags themselves or variables', () => {
    expect(scanPrivacy('run mysql -p and type the password when asked; or sshpass -p "$SSHPASS" ssh host').sensitive).toBe(false);
  });
});

describe('passwords as positional arguments of connection calls', () => {
  it.each([
    'Connection c = DriverManager.getConnection("jdbc:postgresql://db:5432/app", "svc_app", "pR0d-Db!2291");',
    'conn = mysql.connector.connect(host="db", user="etl", password="Qm39!vbTz1", database="dw")',
    'conn = pymysql.connect("db.local", "etl", "Yt5#vbn02Lq", "warehouse")',
    'const client = new Client("reporter", "Nv8$wq2Kpz");',
  ])('%s', (text) => {
    expect(cats(text).has('credential')).toBe(true);
  });
  it('not a placeholder or a variable in that position', () => {
    expect(scanPrivacy('Connection c = DriverManager.getConnection(url, user, password);').sensitive).toBe(false);
  });
});

describe('a token pasted in chunks', () => {
  const ghp = 'ghp_' + 'Q7wLz2NcV9xKp4RtY1sHm8DfJ3bGa6UeT0oi';
  it.each([
    ['spaces', ghp.match(/.{1,6}/g)!.join(' ')],
    ['middle dots', ghp.match(/.{1,5}/g)!.join(' · ')],
    ['commas', ghp.match(/.{1,8}/g)!.join(',')],
    ['dashes (gitlab)', ('glpat-' + 'Hk3Zp9QwLm2Vx7Rt4Nc8').match(/.{1,4}/g)!.join(' - ')],
  ])('%s', (_k, text) => {
    expect(cats(`here is the token: ${text}`).has('credential')).toBe(true);
  });
  it('not ordinary chunked text', () => {
    expect(scanPrivacy('order refs: ABCD 1234 EFGH 5678, batch 2024 Q3').sensitive).toBe(false);
  });
});

describe('documented public test values are not findings', () => {
  it.each([
    'Twilio test: send from +15005550006 to check a valid number',
    'our docs use the IBAN GB82 WEST 1234 5698 7654 32 as an example',
    'validate codice fiscale RSSMRA85T10A562S in the form',
    'unit test: the BSN 111222333 must pass the elfproef',
    'my CPF validator accepts 333.333.333-33, which it should reject',
    'Cliente: CPF 444.444.444-44 no cadastro antigo',
  ])('%s', (text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});
