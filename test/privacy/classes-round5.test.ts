import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the fourth blind evaluation found missed or falsely flagged (data/router/README.md). Every case is a new
// example written for this test, not a blind-set row.
const cats = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('an identity number named by its label, in any language or script', () => {
  it('a Russian passport series and number and an INN', () => {
    const text = 'Заполни анкету: Кузнецов Андрей Петрович, паспорт серия 40 08 № 561237, ИНН 502915384720.';
    expect(cats(text).has('national_id')).toBe(true);
  });
  it('a Russian SNILS alone', () => {
    expect(cats('Проверь, пожалуйста, мой СНИЛС: 112-233-445 95').has('national_id')).toBe(true);
  });
  it('a Vietnamese citizen id (CCCD) in an order note', () => {
    expect(cats('Khách hàng Trần Văn Minh, số CCCD: 079203015562, cần xác minh trước khi giao.').has('national_id')).toBe(true);
  });
  it('an Israeli teudat zehut in Hebrew', () => {
    expect(cats('נא לעדכן את הפרטים: דנה כהן, מספר תעודת זהות 038471926.').has('national_id')).toBe(true);
  });
  it('a French passport number and an Indonesian NIK', () => {
    expect(cats('Numéro de passeport : 18AV52731, au nom de Lefèvre.').has('national_id')).toBe(true);
    expect(cats('Data pelanggan: Budi Santoso, NIK 3174052208900003, Jakarta Selatan.').has('national_id')).toBe(true);
  });
  it('talk about the label without a number, or with a year or a size, is not', () => {
    expect(flagged('Паспорт нужно заменить в 2027 году, а ИНН состоит из 12 цифр.')).toBe(false);
    expect(flagged('The passport photo must be 35x45 mm; the form has 12 pages.')).toBe(false);
    expect(flagged('CCCD có 12 chữ số; 3 số đầu là mã tỉnh nơi đăng ký khai sinh.')).toBe(false);
  });
});

describe("a named person's financial distress in a letter or record", () => {
  it('a collections letter to a named customer', () => {
    const text =
      'Please polish this before I post it:\nDear Ms Okafor,\nYour account shows an overdue balance of $1,480 and has been passed to our collections team. If it is not settled by 30 June we will start county court proceedings.';
    expect(cats(text).has('financial')).toBe(true);
  });
  it('a case note: a named person behind on a mortgage, facing repossession', () => {
    const text =
      'Case note: Daniel Whitcombe owes £6,200 on two credit cards and is three months behind on his mortgage; repossession hearing on 9 May.';
    expect(cats(text).has('financial')).toBe(true);
  });
  it('a template, a general question, a schema and company news are not', () => {
    expect(flagged('Write a template arrears letter for a tenant; use [Tenant Name] and [Amount] as placeholders.')).toBe(false);
    expect(flagged('Explain how Chapter 7 bankruptcy differs from Chapter 13 for a small business owner.')).toBe(false);
    expect(flagged('Our SaaS tracks rent arrears for landlords; design the schema for the arrears table.')).toBe(false);
    expect(flagged('Summarise the news: the developer defaulted on $300bn of debt in 2021 and entered liquidation.')).toBe(false);
  });
});

describe('reproductive and mental health of a named person', () => {
  it('fertility treatment of a named employee', () => {
    const text = 'Draft a note to HR: Marta Jensen asked to move her shifts because she is starting fertility treatment next month.';
    expect(cats(text).has('medical')).toBe(true);
  });
  it('a miscarriage and panic attacks in manager notes', () => {
    expect(cats('Team lead notes: Sofia Lindqvist came back after a miscarriage in March; keep her off call.').has('medical')).toBe(true);
    expect(cats('Reviewee: Tom Hadley. Tom has been signed off with burnout and panic attacks since June.').has('medical')).toBe(true);
  });
  it('a general question about IVF is not', () => {
    expect(flagged('What does IVF cost on average in the UK, and how many cycles are funded?')).toBe(false);
  });
});

describe('a credential split into pieces', () => {
  it('list items of a Python list joined at run time', () => {
    const text = 'parts = ["ghp_Xk29Ld", "Qm4vTz8WpR", "2nHc7JyB0e", "Fa3Ks6Gu1Q"]\ntoken = "".join(parts)';
    expect(cats(text).has('credential')).toBe(true);
  });
  it('a JS array over several lines', () => {
    const text = 'const k = [\n  "sk_live_9Rt2Lq",\n  "Wz7Hp3Nx5Vb8",\n  "Cm4Jd6Kf1Ys0",\n].join("");';
    expect(cats(text).has('credential')).toBe(true);
  });
  it('markdown list items', () => {
    expect(cats('the key, in pieces:\n- AKIA\n- Q3XZ7RTY\n- 2LMN8PWV').has('credential')).toBe(true);
  });
  it('an ordinary list of words is not', () => {
    expect(flagged('colors = ["red", "green", "blue"]\nprint(", ".join(colors))')).toBe(false);
  });
});

describe('a password hidden by encoding', () => {
  it('hex decoded into a password variable', () => {
    expect(cats('ADMIN_PW = bytes.fromhex("476c3463696572234d696e743737").decode()').has('credential')).toBe(true);
  });
  it('base64 decoded into a secret', () => {
    expect(cats('const secret = atob("S2VzdHJlbCE5OVBpbmU="); // staging db login').has('credential')).toBe(true);
  });
  it('escaped bytes in a string literal', () => {
    const text = 'key = bytes("\\x51\\x75\\x31\\x6c\\x6c\\x26\\x49\\x6e\\x6b\\x5f\\x34\\x32").decode()  # the admin password';
    expect(cats(text).has('credential')).toBe(true);
    expect(flagged('printf "\\x48\\x65\\x6c\\x6c\\x6f\\x20\\x74\\x68\\x65\\x72\\x65"')).toBe(false);
  });
  it('encoded prose is not', () => {
    expect(flagged('greeting = bytes.fromhex("48656c6c6f2c20576f726c6421").decode()')).toBe(false);
    expect(flagged('const label = atob("UHJvZHVjdCBDYXRhbG9n");')).toBe(false);
  });
});

describe('public and fictional values, allowed by class', () => {
  it('famous fictional addresses in seed data', () => {
    expect(flagged('Seed the demo: Homer Simpson, 742 Evergreen Terrace, Springfield, OR 97475')).toBe(false);
    expect(flagged('Fixture rows:\n- Paddington Bear, 32 Windsor Gardens, London W9 3RG')).toBe(false);
  });
  it('a real-looking address on the same street is still an address', () => {
    expect(cats('Ship to Aoife Byrne, 18 Windsor Gardens, London W9 3RG').has('postal_address')).toBe(true);
  });
  it('specimen numbers of passports and ID cards', () => {
    expect(flagged('MRZ parser test: the ICAO 9303 specimen passport number L898902C3')).toBe(false);
    expect(flagged('Personalausweis-Nummer T22000129 der Mustermann-Karte wird abgelehnt')).toBe(false);
    expect(flagged('Skatteverket test: personnummer 19121212-1212 should pass Luhn')).toBe(false);
    expect(flagged('Does my parser accept the Finnish henkilötunnus 131052-308T?')).toBe(false);
  });
  it('SOPS values, age and PGP armored ciphertext', () => {
    expect(
      flagged(
        'secrets.yaml:\ndb:\n  password: ENC[AES256_GCM,data:q8Zr3LkPw9Tn2VbXy7Q,iv:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==,tag:c2VjcmV0dGFnMTIzNDU2Nw==,type:str]',
      ),
    ).toBe(false);
    expect(
      flagged(
        'Is this safe to commit?\n-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBrZzN5cHdN\nQk5xWjdMbVZ0UjJ3OXBYNGNFNmhUOGZKMXNHM2tMNW5WN3hZOWJN\n-----END AGE ENCRYPTED FILE-----',
      ),
    ).toBe(false);
    expect(
      flagged(
        'token: |\n  -----BEGIN PGP MESSAGE-----\n\n  hQEMA9Xk2LpQ7rT1AQf+Kz8Wm3Nv5Rb2Yc7Hd4Jq1Lt9Pg6Sx0Fe3Ua8Vw5Ni2Ob7\n  =Xq4T\n  -----END PGP MESSAGE-----',
      ),
    ).toBe(false);
  });
  it('an age secret key is still a secret', () => {
    expect(flagged('AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS3L5QKX')).toBe(true);
  });
});

describe("a public figure's published birth date", () => {
  it('a biography of a public figure with their achievements is not personal data to hide', () => {
    expect(flagged('Quiz card: Serena Williams, born September 26, 1981 in Saginaw, Michigan, won 23 Grand Slam singles titles.')).toBe(
      false,
    );
  });
  it("a private person's birth date in a file note still is", () => {
    expect(cats('Add to the client file: Gareth Pryce, born 3 June 1958, moved into sheltered housing.').has('date_of_birth')).toBe(true);
  });
});

describe('labelled identity numbers: what is not one', () => {
  it('a Russian passport series and number on its own', () => {
    expect(cats('Скопируй в форму: паспорт серия 46 12 № 305817, выдан 2015 г.').has('national_id')).toBe(true);
  });
  it('a company tax number on an invoice, a search in a log, an example', () => {
    expect(flagged('Invoice from Nordlicht GmbH, tax number 143/815/08150, due in 30 days.')).toBe(false);
    expect(flagged('rg 4471902 logs/app.log finds nothing, why?')).toBe(false);
    expect(flagged('Как проверить формат? Например, паспорт 45 11 000001 — образец из инструкции.')).toBe(false);
    expect(flagged('Write a regex for passport numbers; for example passport no. K4829173 should match.')).toBe(false);
  });
});

describe('the same classes, wider', () => {
  it('identity numbers of more countries by their label (Nigeria NIN, Pakistan CNIC, Polish ID in the genitive)', () => {
    expect(cats('Customer: Chinedu Okeke, NIN 48213957261, Lagos.').has('national_id')).toBe(true);
    expect(cats('Please update: Ayesha Khan, CNIC 35202-4829137-1, Lahore.').has('national_id')).toBe(true);
    expect(cats('Dane klienta: Jan Nowak, nr dowodu ABC482913.').has('national_id')).toBe(true);
  });
  it("a relative's bankruptcy without an amount; a company's debt with one is not a person's", () => {
    expect(cats('My brother-in-law Tom Reyes filed for bankruptcy last month and asked me to help him budget.').has('financial')).toBe(
      true,
    );
    expect(flagged("John Smith from accounting says the company's debt is $2M and rising.")).toBe(false);
  });
  it('a vendor key split over two bare lines', () => {
    expect(cats('Here is the key in two lines:\nsk_live_51Hx8YtK2m\nQr9Lp3Vz7Nc4Wb6Xs1Df').has('credential')).toBe(true);
  });
  it('the NINO format example AB 12 34 56 C', () => {
    expect(flagged('The payroll form shows NI number AB 12 34 56 C as its format hint.')).toBe(false);
  });
});

describe('public figures and fiction, wider', () => {
  it("a public figure's birth date next to their calling or office", () => {
    expect(flagged('Elon Musk, born June 28, 1971 in Pretoria, is the CEO of Tesla and SpaceX.')).toBe(false);
    expect(flagged('Write a short bio: Lionel Messi, born 24 June 1987 in Rosario, Argentina, plays for Inter Miami.')).toBe(false);
  });
  it('a person the writer knows or serves, even with a public-sounding word, or the writer', () => {
    expect(cats('Wedding speech for my dad, Brian Kelly, born 2 May 1960, the greatest dad ever.').has('date_of_birth')).toBe(true);
    expect(
      cats('Candidate: Petra Novak, born 9 October 1988, former Olympic rower, applying for the coaching role.').has('date_of_birth'),
    ).toBe(true);
    expect(cats("Write my dating bio: I'm Tom Reed, born 12 May 1990, a keen amateur composer.").has('date_of_birth')).toBe(true);
  });
  it('more fictional addresses: a fictional street in its fictional town, whatever the number', () => {
    expect(flagged('Seed users: Walter White, 308 Negra Arroyo Lane, Albuquerque, NM 87104')).toBe(false);
    expect(flagged('Demo: Marge Simpson, 744 Evergreen Terrace, Springfield, IL 62701')).toBe(false);
  });
});
