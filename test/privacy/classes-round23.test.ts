import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the twenty-fourth blind evaluation (data/router/privacy-blind-24.jsonl) found missed or falsely flagged,
// generalised (version 26; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is found" / "is not flagged" case failed on version 25.
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));
const octal = (s: string) => [...s].map((c) => '\\' + c.charCodeAt(0).toString(8)).join('');
const chars = (s: string) => [...s].map((c) => `'${c}'`).join(', ');

describe('the twenty-fourth blind set: found', () => {
  it.each([
    [
      'a C database password written as octal escapes',
      'credential',
      `static const char db_pwd[] = "${octal('r3TwAn-8qZ!e')}";\nmysql_real_connect(conn, host, "app", db_pwd, "shop", 0, NULL, 0);`,
    ],
    [
      'a Python API token written as octal escapes',
      'credential',
      `API_TOKEN = '${octal('xokb-9314280576-qWerTzLj8')}'\nclient = Client(token=API_TOKEN)`,
    ],
    [
      'a shell password printed from octal escapes',
      'credential',
      `PASS=$(printf "${octal('Winter!2026xY')}")\nsshpass -p "$PASS" ssh deploy@10.0.0.4`,
    ],
    [
      'a PHP password reversed with strrev()',
      'credential',
      "$conf = ['user' => 'billing', 'password' => strrev('9zQ!k2Lm7Wp'), 'host' => 'db1'];",
    ],
    [
      'a VB password reversed with StrReverse()',
      'credential',
      'Dim pwd As String = StrReverse("r7$Kq9LmP2wX")\nconn.Open "Provider=SQLOLEDB;User ID=sa;Password=" & pwd',
    ],
    ['a JavaScript password reversed with reverse()', 'credential', "const cfg = { user: 'svc', pass: reverse('t8#Hq2mVz0Lk') };"],
    [
      'a Redshift password in a Scala options map ("dbPassword" -> "…")',
      'credential',
      'val opts = Map(\n  "url" -> "jdbc:redshift://rs.example.internal:5439/dw",\n  "dbPassword" -> "Vq7!mR2kLp9xZ"\n)',
    ],
    [
      'a MySQL URL with its password split over Rust concat! pieces',
      'credential',
      'const URL: &str = concat!(\n    "mysql://orders_app:",\n    "Zp8rQ2vK",\n    "w7Lx_Nd3",\n    "@mysql-main.corp.lan:3306/orders"\n);',
    ],
    [
      'a Postgres URL with its password split over SQL CONCAT arguments',
      'credential',
      "SELECT dblink_connect(CONCAT('postgresql://report:', 'Tn4!wQ8z', 'Lp2x', '@pg-main.corp:5432/sales'));",
    ],
    [
      'a GitHub token as a Kotlin charArrayOf with spaces after the commas',
      'credential',
      `private val t = charArrayOf(${chars('ghp_Q7rXm2KvL9pWz3NbT5yHc8Dj4Fg6S1qE0aUw')})\nval token = String(t)`,
    ],
    [
      'a colleague said to be gay, in Polish',
      'special_category',
      'Napisz krótką wiadomość do szefa. Mój kolega z zespołu, Marek Zieliński, powiedział mi w zaufaniu, że jest gejem, i boi się, że ktoś w firmie to rozpowie.',
    ],
    [
      'a cousin said to be gay, in Turkish',
      'special_category',
      'Kuzenim Emre Yıldız bize geçen hafta eşcinsel olduğunu söyledi; annesine nasıl anlatacağını bilmiyor. Ona destek olmak için ne yazabilirim?',
    ],
    [
      'a sister said to be homosexual, in Finnish',
      'special_category',
      'Siskoni Laura Virtanen kertoi minulle eilen olevansa homoseksuaali ja seurustelevansa naisen kanssa. Miten voin tukea häntä?',
    ],
    [
      'a cousin said to be a lesbian, in Czech',
      'special_category',
      'Moje sestřenice Petra Nováková je lesba a rodiče o tom ještě nevědí. Jak jí můžu pomoct s rozhovorem?',
    ],
    [
      'a neighbour’s Indonesian mobile in a chat',
      'phone',
      'Tolong buatkan pesan untuk tetangga saya, Ibu Ratna Dewi di Depok, nomornya 0857-3120-6648, soal pagar yang rusak.',
    ],
  ])('%s is found (%s)', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('the twenty-fourth blind set: not findings', () => {
  it.each([
    [
      'a Spanish customer-service line and help mailbox on a FAQ page',
      'Traduce al inglés para la web: Si tiene problemas con su pedido, llame a atención al cliente 91 123 45 67 (lunes a viernes) o escriba a soporte@frutasdelvalle.es.',
    ],
    [
      'a Vietnamese customer-care line and mailbox',
      'Dịch sang tiếng Anh: Mọi thắc mắc xin liên hệ tổng đài chăm sóc khách hàng 028 3823 4567 hoặc email hotro@giaohangxanh.vn để được hỗ trợ.',
    ],
    [
      'Finnish HETU test values with wrong check characters under prose about tests',
      'Korjaa tämä validointifunktio. Testitapaukset ovat tarkoituksella virheellisiä, joten kaikkien pitäisi epäonnistua.\n\n```python\nMERKIT = "0123456789ABCDEFHJKLMNPRSTUVWXY"\ndef tarkista(hetu):\n    return MERKIT[int(hetu[:6] + hetu[7:10]) % 31] == hetu[-1]\n\nfor hetu in ["230587-417K", "041192-655H"]:\n    print(hetu, tarkista(hetu))\n```',
    ],
    [
      'a Romanian CNP with a control digit changed on purpose',
      'Funcția mea de validare acceptă CNP 2850714123453, deși am schimbat intenționat cifra de control ca să testez. Ce e greșit?',
    ],
    [
      'an Indonesian company’s customer-service line and mailbox',
      'Terjemahkan ke bahasa Inggris: Untuk bantuan, hubungi layanan pelanggan di 021-2350-7000 (Jakarta) atau email bantuan@keretakota.co.id.',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('the twenty-fourth blind set: look-alikes that stay found', () => {
  it.each([
    [
      'a person’s own mobile after a customer-service mention',
      'phone',
      'Customer service was useless, so please call my mobile 07911 123 456 — Sarah Whitfield.',
    ],
    [
      'a Romanian CNP with a typo, named as someone’s',
      'national_id',
      'Doamna Elena Popescu, CNP 1920305400127, domiciliată în București, solicită eliberarea certificatului.',
    ],
  ])('%s is found (%s)', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('the twenty-fourth blind set: harmless look-alikes', () => {
  it.each([
    [
      'octal escapes of a C string in a tutorial',
      'In C, printf("\\101\\102\\103\\104\\105\\106\\107\\110\\n") prints ABCDEFGH; how do octal escapes work?',
    ],
    ['ANSI colour escapes in a prompt', 'My prompt: PS1="\\033[01;32m\\u@\\h\\033[00m:\\033[01;34m\\w\\033[00m\\$ " shows colours'],
    ['a Scala schema naming the password type', 'val schema = Map("password" -> "String", "userName" -> "String")'],
    ['a Scala password taken from the environment', 'val opts = Map("sfPassword" -> sys.env("SF_PASSWORD"), "sfUser" -> "etl")'],
    ['strrev of a phrase and a word', "echo strrev('Hello world'); // prints dlrow olleH, also strrev('password') for the demo"],
    ['a version string built with concat!', 'const VERSION_STR: &str = concat!("myapp ", "v1.4.2", " (", "linux-x86_64", ")");'],
    ['vowels in a charArrayOf', "val vowels = charArrayOf('a', 'e', 'i', 'o', 'u', 'y', 'A', 'E', 'I', 'O', 'U', 'Y')"],
    ['a general Polish question on gay couples', 'Jakie są prawa osób homoseksualnych w Polsce? Czy para gejów może adoptować dziecko?'],
    ['a general Turkish question on same-sex marriage', "Türkiye'de eşcinsel evlilik yasal mı? Genel bir bilgi verir misin?"],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});
