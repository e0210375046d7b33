import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the sixth blind evaluation found missed or falsely flagged, generalised (version 8; data/router/README.md).
// Every case is a new example written for this test, not a blind-set row; each failed on version 7.
const flagged = (t: string) => scanPrivacy(t).sensitive;
const rules = (t: string) => scanPrivacy(t).findings.map((f) => f.rule);

describe('national identifiers in records, dicts and JSON, keyed in any language', () => {
  it.each([
    ['an Indonesian NIK in a Python dict', `pelanggan = {"nik": "3273156409870004", "nama": "Rina Kartika", "kota": "Bandung"}`],
    ['an Indonesian NIK under a snake_case key', `row = dict(no_ktp='3273156409870004', alamat='Jl. Merdeka 12')`],
    ['a Czech birth number in a YAML record', `uchazec:\n  jmeno: Petra Dvorska\n  rodne_cislo: "856204/3182"`],
    ['a Romanian CNP in JSON', `{"cnp": "2850712401231", "nume": "Ioana Marin"}`],
    ['a Bulgarian EGN in a PHP array', `$client = ['egn' => '7552042316', 'ime' => 'Mariya Georgieva'];`],
    ['a Croatian OIB in a Go struct literal', `Korisnik{Ime: "Ivana Horvat", OIB: "69283746155"}`],
    ['a Chilean RUT in a JS object', `const cliente = { rut: "16.432.875-9", nombre: "Camila Rojas" };`],
    ['a Thai national id in a dict', `{'เลขประจำตัวประชาชน': '3100501234563', 'name': 'Somchai'}`],
    ['a generic document-number key', `{"numero_documento": "48213907", "nombre": "Lucía Fernández", "ciudad": "Lima"}`],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it('a sequential or all-zero value under the same keys is not', () => {
    expect(flagged(`{"nik": "1234567890123456", "nama": "contoh"}`)).toBe(false);
    expect(flagged(`{"cnp": "0000000000000"}`)).toBe(false);
  });
  it('a validator sample with six leading zeros is not an identifier', () => {
    expect(flagged('Write a check-digit validator for Israeli ID numbers (מספר תעודת זהות); test it with 000000018.')).toBe(false);
  });
  it('a build log with run and artifact ids is not', () => {
    expect(flagged('Build #4410 (run id 7552042316, artifact id 2850712401) failed at the test step; how do I retry it?')).toBe(false);
  });
});

describe('special-category data about an identifiable person, in any language', () => {
  it.each([
    ['a conviction in English prose', 'Background check summary: Daniel Harcourt was convicted of fraud in 2016 and served 14 months.'],
    ['imprisonment of a named relative', 'My neighbour Ruth Calloway is struggling since her son Mark was sent to prison in June.'],
    ['a German criminal record', 'Bewerber: Tobias Krämer. Laut Führungszeugnis ist er wegen Körperverletzung vorbestraft.'],
    ['Czech debt enforcement of a named person', 'Zaměstnanec: Lukáš Procházka\nMá na sobě tři exekuce a plat mu strhává exekutor.'],
    ['surgery of a named neighbour', "Can you draft a get-well note? Our neighbour Harold Finch just had a knee replacement at St Mary's."],
    ['an HIV status in Arabic with a relation and a name', 'أرجو ترجمة هذا: أختي ليلى أُبلغت أن نتيجة فحص فيروس نقص المناعة لديها إيجابية.'],
    ['dialysis of a named patient in Hebrew', 'תרגם בבקשה: השכן דוד לוי עובר דיאליזה שלוש פעמים בשבוע.'],
    ['a Polish prison sentence', 'Kandydat: Marek Zieliński. Informacja z KRK: skazany w 2019 r., odbył karę w więzieniu w Sztumie.'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['a general question on sentencing', 'What is the usual prison sentence for first-time fraud in England and Wales?'],
    ['how a procedure works', 'Explain the recovery timeline after a knee replacement, week by week.'],
    ['Czech law on enforcement, no person', 'Jak funguje exekuce na mzdu podle českého práva a kolik smí exekutor strhnout?'],
    [
      'a literary character in Russian',
      'Напиши шуточную справку о судимости для литературного вечера про персонажа Родиона Раскольникова: осуждён на каторгу.',
    ],
  ])('%s is not', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('secrets set through configuration calls', () => {
  it.each([
    ['PHP define', "define('SMTP_PASSWORD', 'Gv8#kq2Lm!pz');"],
    ['Go os.Setenv', 'os.Setenv("DB_PASSWORD", "h7Kp2qX9vLz3!")'],
    ['Python os.environ subscript', "os.environ['API_TOKEN'] = 'p9XzQ4mLk2Vb8wRtYe61'"],
    ['Java System.setProperty', 'System.setProperty("db.password", "Zq7!mK2pLx9w");'],
    ['Ruby ENV subscript', "ENV['SECRET_KEY'] = 'b1f4e7a9c2d85e3f60a7b9c1d2e4f6a8'"],
    ['Kotlin mapOf', 'val cfg = mapOf("user" to "svc", "password" to "Wn4#rT8qLz2m")'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['a value read from the environment', "define('DB_PASSWORD', getenv('DB_PASSWORD'));"],
    ['a placeholder', 'os.Setenv("DB_PASSWORD", "changeme")'],
    ['a form label', "$form->add('password', 'PasswordType');\n$t = __('password', 'Password');"],
  ])('%s is not', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('vendor tokens stored reversed', () => {
  it('a GitHub token reversed in a string literal is flagged', () => {
    const t = "const k = 'AHrSbWoFfz15mKFyDFDbPznGZpifcTmiy9xo_phg';\nconst token = k.split('').reverse().join('');";
    expect(flagged(t)).toBe(true);
    expect(rules(t).some((r) => r.startsWith('decoded-reversed:'))).toBe(true);
  });
  it('a Stripe live key reversed is flagged', () => {
    expect(flagged('STRIPE = "MjZLn5HP5FfSpvdQgy1Nye0gqQhUy65E_evil_ks"[::-1]')).toBe(true);
  });
  it('an ordinary reversed word is not', () => {
    expect(flagged("const s = 'gnirts_elpmaxe_na_si_siht'.split('').reverse().join('');")).toBe(false);
  });
});

describe('documented examples, declared synthetic data and placeholder people', () => {
  it("Wikipedia's example PESEL is a published test value", () => {
    expect(flagged('Walidator PESEL: sprawdź numer 44051401359 oraz kilka błędnych wariantów.')).toBe(false);
    // another valid PESEL with a name is still someone's
    expect(flagged('Pacjent: Tomasz Wójcik, PESEL 82071543217')).toBe(true);
  });
  it('records the text says were generated with Faker are not flagged', () => {
    expect(
      flagged(
        "Generated these with Faker (pt_BR, seed 7) for staging; make them a CSV:\n{'nome': 'Lucas Almeida', 'cpf': '394.712.805-32', 'telefone': '+55 31 98765-4321'}",
      ),
    ).toBe(false);
  });
  it('the same records to be anonymised with Faker are', () => {
    expect(
      flagged(
        "Replace these real customer rows with Faker values:\n{'nome': 'Lucas Almeida', 'cpf': '394.712.805-32', 'telefone': '+55 31 98765-4321'}",
      ),
    ).toBe(true);
  });
  it.each([
    ['Chinese placeholders in sample SQL', "示例数据:INSERT INTO t (name, phone) VALUES ('王五', '13912345678'), ('赵六', '13712345678');"],
    ['a Japanese form example', '記入例\n氏名:山田 花子\n生年月日:1990年4月1日\n電話:090-1234-5678'],
    ['a Korean sample form', '예시 데이터\n이름: 김철수\n휴대폰: 010-1234-5678'],
    ['a Polish sample', 'Przykładowe dane: Jan Kowalski, tel. 512 345 678, ul. Przykładowa 1, Warszawa'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it('a placeholder name with a valid national id still is', () => {
    expect(flagged('예시 데이터\n이름: 홍길동\n주민등록번호: 900101-1234568')).toBe(true);
  });
  it.each([
    ['base64 of password', 'db:\n  password: cGFzc3dvcmQ='],
    ['base64 of secret', "SECRET_KEY = 'c2VjcmV0'"],
  ])('%s is not a credential', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it('base64 of a real-looking password still is', () => {
    expect(flagged('db:\n  password: VHE4I3ZMMm1YejlrIQ==')).toBe(true);
  });
});

// Classes of the third tuning set (data/router/privacy-tune-3.jsonl), generalised; new examples again.
describe('third tuning set: hidden and encoded secrets', () => {
  it('a Hugging Face token reversed is a credential on its own (no vendor rule needed)', () => {
    expect(flagged('def _t():\n    return "oQ5eUaG4fJs9HdY6cBw2RxT7pKv3NmL8qZ_fh"[::-1]')).toBe(true);
  });
  it('a vendor token written as \\u escapes is decoded and flagged', () => {
    expect(
      flagged(
        `{"cfg": {"value": "\\u0067\\u0068\\u0070\\u005f\\u006f\\u0078\\u0039\\u0079\\u0069\\u006d\\u0054\\u0063\\u0066\\u0069\\u0070\\u005a\\u0047\\u006e\\u007a\\u0050\\u0062\\u0044\\u0046\\u0044\\u0079\\u0046\\u004b\\u006d\\u0035\\u0031\\u007a\\u0066\\u0046\\u006f\\u0057\\u0062\\u0053\\u0072\\u0048\\u0041"}}`,
      ),
    ).toBe(true);
  });
  it('a password kept hex-encoded under a name with an encoding suffix is flagged', () => {
    expect(flagged('dbPassHex := "527a35216b573871506d32234c783776"\npw, _ := hex.DecodeString(dbPassHex)')).toBe(true);
  });
  it('a token with placeholder words inside is not', () => {
    expect(flagged("const bot = new App({ token: 'xoxb-not-a-real-token-replace-me-please' });")).toBe(false);
  });
  it("a CI container's default login in a URL is not; a real password there still is", () => {
    expect(flagged('run: DATABASE_URL=postgresql://postgres:postgres@localhost:5432/ci_test npm test')).toBe(false);
    expect(flagged('run: DATABASE_URL=mysql://root:Vq7#mZ2pLx@db.internal:3306/app npm test')).toBe(true);
  });
  it('a secret read from a map at run time is not a secret value', () => {
    expect(flagged('pass := creds.Values["password"].(string)\ntoken := cfg.Items["api_token"]')).toBe(false);
  });
});

describe('third tuning set: documented examples and test vectors', () => {
  it('an example id number named so in a validator request is not flagged, in any of several languages', () => {
    expect(flagged('Escreva testes para o validador de CPF; use 529.982.247-25 como exemplo válido.')).toBe(false);
    expect(flagged('Écris un validateur de NAS ; prends 046 454 286 comme exemple et 046 454 287 comme cas invalide.')).toBe(false);
  });
  it('the same number beside a named person is', () => {
    expect(flagged('Cliente: Ana Beatriz Souza, CPF 529.982.247-25, exemplo de cadastro real do sistema.')).toBe(true);
  });
  it("Redsys's sandbox card and BIP-39's reference seed are published test values", () => {
    expect(flagged('Tarjeta de pruebas de Redsys: 4548 8120 4940 0004, caducidad 12/34, CVV 123.')).toBe(false);
    expect(
      flagged(
        'Expected seed: c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
      ),
    ).toBe(false);
  });
});

describe('third tuning set: personal data in more shapes and languages', () => {
  it('a My Number in a table row of a text about My Numbers is flagged', () => {
    expect(flagged('マイナンバーの列をマスクしたい。サンプル行:\nA: 佐藤 花子 | B: 1985/03/04 | C: 8316 2049 5718')).toBe(true);
  });
  it('union office of a named employee (French) is flagged', () => {
    expect(flagged('Pour info, Julien Moreau (matricule 3321) est délégué syndical CFDT depuis janvier.')).toBe(true);
  });
  it("a named neighbour's psychotic episode is flagged", () => {
    expect(flagged('My neighbour Agnes Whitlow had a psychotic episode on Sunday; can you help me word a note to the block?')).toBe(true);
  });
  it("a named student's religious conversion (Arabic) is flagged", () => {
    expect(flagged('رسالة إلى المديرة: الطالب يوسف خالد في الصف الثامن اعتنق المسيحية ولا يريد حضور الحصة.')).toBe(true);
  });
  it('a general question on the same subjects is not', () => {
    expect(flagged('What does a délégué syndical do in a French company, and how is one elected?')).toBe(false);
    expect(flagged('What are the early signs of a psychotic episode in teenagers?')).toBe(false);
  });
});

describe('more special categories and placeholders, by the same mechanisms', () => {
  it("a named tenant's immigration status and a named member's party membership are flagged", () => {
    expect(flagged('Our tenant Ahmed Karimi is an asylum seeker and his deportation order was upheld.')).toBe(true);
    expect(flagged('Note for HR: Kerstin Albers is a card-carrying party member and wants Fridays off for it.')).toBe(true);
  });
  it('the same subjects asked in general are not', () => {
    expect(flagged('How does an asylum seeker appeal a deportation order in Germany?')).toBe(false);
  });
  it('randomly generated sample rows under a stock placeholder are not flagged', () => {
    expect(flagged('Sample rows (randomly generated data): Otto Normalverbraucher, +49 30 1234567, Musterweg 5')).toBe(false);
  });
});

describe("a public figure's life in a biography", () => {
  it('is public record, not a special-category finding', () => {
    expect(flagged('Nelson Mandela was imprisoned for 27 years on Robben Island. Write a short bio for a school poster.')).toBe(false);
  });
  it('a person the writer knows still is', () => {
    expect(flagged('Write a short bio of my uncle Samuel Okoro for his party; skip that he was imprisoned in 1998.')).toBe(true);
  });
});

describe('enforcement of debts in more languages', () => {
  it.each([
    ['Romanian', 'Tradu: colegul meu Mihai Popescu are datorii la executorul judecătoresc și i s-a poprit salariul.'],
    ['Slovak', 'Zamestnanec Peter Kováč má na mzde dve exekúcie od minulého roka.'],
    ['Turkish', 'Çalışanımız Mehmet Demir hakkında icra takibi başlatıldı, maaşına haciz geldi.'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});
