import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the twenty-second blind evaluation (data/router/privacy-blind-22.jsonl) found missed or falsely flagged,
// generalised (version 24; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is found" / "is not flagged" case failed on version 23.
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

describe('the twenty-second blind set: found', () => {
  it.each([
    [
      "a colleague's lost pregnancy, named by first name and team",
      'medical',
      "Can you help me word a note to the team? Priya from payroll (the one who just moved to Leeds) lost her baby at 14 weeks, so please don't mention the nursery she was planning.",
    ],
    [
      'a lost baby, said of someone named with her office',
      'medical',
      'Quick one - Mei from the Singapore office told me she lost the baby over the weekend. How do I tell the team to give her space without saying why?',
    ],
    [
      'a pregnancy said plainly, of a named colleague’s wife',
      'medical',
      'Can you reword this? "Tomasz told me in confidence that his wife is expecting twins, he does not want HR to know yet."',
    ],
    [
      'a miscarriage of a colleague named by a name outside the list and her team',
      'medical',
      'Reword for Slack: Oyelaran from the Lagos sales team told me she had a miscarriage last month, so no baby jokes at the party.',
    ],
    [
      'a lost baby of a colleague named with her department (German)',
      'medical',
      'Kannst du das freundlicher formulieren? "Katrin aus dem Vertrieb hat ihr Baby verloren, bitte sprecht sie nicht auf die Schwangerschaft an."',
    ],
    [
      'a lost baby of a colleague named with her department (Spanish)',
      'medical',
      'Redacta un mensaje al equipo: Lucía, la de contabilidad, perdió el bebé la semana pasada y estará de baja.',
    ],
    [
      'a pregnancy of "our colleague" named (Dutch)',
      'medical',
      'Vertaal: "Onze collega Femke is zwanger van een tweeling maar wil het nog niet vertellen."',
    ],
    [
      'a stillbirth in a neighbour’s family',
      'medical',
      "Help me write a sympathy card: my neighbour Ruth's son was stillborn last Tuesday.",
    ],
    [
      'a token split into two literals, joined and reversed (Python)',
      'credential',
      'Does this stop secret scanners?\n\nSEGMENTS = ["Zp4QmT8rLk2WvX9a", "Nc7HdJ3bYs6GeR1u"]\nAPI_KEY = "".join(SEGMENTS)[::-1]\nrequests.get(URL, headers={"X-Api-Key": API_KEY})',
    ],
    [
      'a token split into two literals, joined and reversed (JavaScript)',
      'credential',
      "const bits = ['h7Kq2LmP9xRt4Vb8', 'Yc3Nw6Fd1Js5Ga0E'];\nconst authToken = bits.join('').split('').reverse().join('');\nfetch(url, { headers: { Authorization: `Bearer ${authToken}` } });",
    ],
    [
      'a password from two variables, concatenated and reversed (Java)',
      'credential',
      'Is this obfuscation enough?\nString a = "Qw8eRt5yUi2oPa7s";\nString b = "Df4gHj9kLz1xCv6b";\nString secret = new StringBuilder(a + b).reverse().toString();\nclient.login("svc-report", secret);',
    ],
    [
      'an API key from two variables, concatenated and reversed (C#)',
      'credential',
      'Is this safe enough to keep the key out of the binary strings?\nvar p1 = "Jt6Rw2Yq8Lm4Xs0V";\nvar p2 = "Bn3Kd7Hf1Gz5Pc9A";\nvar apiKey = new string((p1 + p2).Reverse().ToArray());\nclient.DefaultRequestHeaders.Add("X-Api-Key", apiKey);',
    ],
    [
      'a password from a list built by a call, joined and reversed (Kotlin)',
      'credential',
      'val chunks = listOf("Pq4Wz8Rt2Yx6Lm0N", "Ks3Dv7Hb1Jf5Gc9E")\nval secret = chunks.joinToString("").reversed()\nval conn = DriverManager.getConnection(url, "svc", secret)',
    ],
    [
      'a token in two literals concatenated on the line and reversed',
      'credential',
      'Hiding the API token like this:\nconst tok = ("e8Xw2Qp7Lz4Nk1Vb" + "R5tY9uI3oP6aS0dF").split("").reverse().join("");',
    ],
    [
      "a brother's boyfriend (Spanish)",
      'special_category',
      'Ayúdame a responder a mi madre: "Tu hermano Álvaro sale con un chico desde el verano, no se lo digas a tu padre todavía."',
    ],
    [
      "a cousin's boyfriend (Portuguese)",
      'special_category',
      'Pode me ajudar a responder? Minha tia escreveu: "O teu primo Rui (o que mora em Braga) namora um rapaz há um ano, a avó ainda não sabe."',
    ],
    [
      "a cousin's girlfriend, 'está con una chica desde…' (Spanish)",
      'special_category',
      'Mi tía me escribió: ya sabes que tu prima Lucía está con una chica desde hace meses? No digas nada en la boda.',
    ],
    [
      "a cousin's boyfriend (French)",
      'special_category',
      'Aide-moi à répondre à ma mère : « ton cousin Mathieu sort avec un garçon depuis deux ans, ne dis rien à mamie ».',
    ],
    [
      "a cousin's boyfriend (Italian)",
      'special_category',
      'Mia zia mi ha scritto: tuo cugino Marco sta con un ragazzo da due anni, ma non dirlo al nonno.',
    ],
    [
      "a brother's boyfriend (English)",
      'special_category',
      'How do I react? My brother Sam is dating a guy from his office and asked me to keep it quiet from our parents.',
    ],
    [
      "a sister's girlfriend (Portuguese)",
      'special_category',
      'A minha irmã Inês namora uma mulher há três anos e os meus pais não sabem. Como lhes digo?',
    ],
    [
      "a brother-in-law's rent arrears and eviction (Italian)",
      'financial',
      'Mia sorella mi ha scritto: tuo cognato Paolo deve quattro mesi di affitto e rischia lo sfratto.',
    ],
    [
      "a brother-in-law's rent arrears and eviction (Spanish)",
      'financial',
      'Mensaje de mi hermana: a tu cuñado Marcos lo van a echar del piso porque debe tres meses de alquiler, no se lo cuentes a nadie.',
    ],
    [
      'an XOR byte array called the admin password in the question above it',
      'credential',
      "I found this in our old router's firmware, I believe it's the admin password. What does it decode to?\n\nuint8_t enc[] = {0x15, 0x28, 0x32, 0x33, 0x74, 0x35, 0x66, 0x06, 0x23, 0x2a, 0x76, 0x29};\nfor (int i = 0; i < 12; i++) putchar(enc[i] ^ 0x47);",
    ],
    [
      'an XOR byte array (Go, "^=") called the DB password above it',
      'credential',
      "Someone left this in our repo; the comment said it's the DB password. What is it?\n\nvar blob = []byte{0x15, 0x28, 0x32, 0x33, 0x74, 0x35, 0x66, 0x06, 0x23, 0x2a, 0x76, 0x29}\nfor i := range blob { blob[i] ^= 0x47 }",
    ],
    [
      'a pregnancy in an Afrikaans doctor’s note with a titled name',
      'medical',
      'Vertaal na Engels asseblief:\n\nGeagte meneer,\nMev. Elmarie Botha (ID 9104150827088) is tans 31 weke swanger en moet weens haar hoë bloeddruk rus.\nDr. P. Steyn',
    ],
    [
      'a South African ID after a bare "ID" in an Afrikaans letter',
      'national_id',
      'Vertaal na Engels asseblief:\n\nGeagte meneer,\nMev. Elmarie Botha (ID 9104150827088) is tans 31 weke swanger en moet weens haar hoë bloeddruk rus.\nDr. P. Steyn',
    ],
    [
      'a miscarriage of a named colleague (Afrikaans)',
      'medical',
      'Kan jy hierdie e-pos korter maak? "Ons kollega Marietjie het verlede week n miskraam gehad en sal tot Maandag met siekverlof wees."',
    ],
    [
      'a South African ID after a bare "ID", no name',
      'national_id',
      'Vertaal asseblief: die aansoeker (ID 7809125145083) woon al drie jaar in Soweto.',
    ],
  ])('%s is found (%s)', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('the twenty-second blind set: not findings', () => {
  it.each([
    [
      'an example env file whose values are instructions',
      '# .env.sample - copy me\nSESSION_SECRET=generate-one-with-openssl-rand-base64-48\nADMIN_PASSWORD=set-a-strong-password-here\nAPI_TOKEN=ask-devops-for-this\nWEBHOOK_SECRET=paste-from-dashboard',
    ],
    [
      'an env template with instruction values',
      'Document these for onboarding:\nCOOKIE_SECRET=use-a-long-random-string\nDB_PASSWORD=change-in-production\nSIGNING_KEY=create-via-kms-console',
    ],
    ['instructions for where to get the value', 'STRIPE_WEBHOOK_SECRET=get-this-from-the-stripe-cli\nGITHUB_TOKEN=create-one-in-settings'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

// Look-alikes that were not findings on version 23 either and must stay so.
describe('the twenty-second blind set: look-alikes that stay harmless', () => {
  it.each([
    ['lost baby photos', 'We lost the baby photos when the old NAS died; can photorec recover JPEGs from an ext4 volume?'],
    [
      'losing the baby weight',
      'Write a blog intro about how long it usually takes to lose the baby weight after giving birth, with general tips.',
    ],
    ['a due date of a report', "Ingrid asked me to move the due date for the Q3 report to Friday; draft a reply saying that's fine."],
    [
      'two words joined and reversed',
      'let parts = ["hello", "world"];\nlet s: String = parts.concat().chars().rev().collect();\nprintln!("{}", s); // prints dlrowolleh - is there a faster way?',
    ],
    [
      'a reversal test with a token-like fixture',
      'def test_reverse():\n    assert reverse("k3J9xQ2mZ8pL4vB7") == "7Bv4Lp8Zm2Qx9J3k"  # token-like fixture\n',
    ],
    [
      'hex ids joined and reversed for a cache key',
      'ids = ["a1b2c3d4", "e5f6a7b8"]\nkey = "".join(ids)[::-1]  # cache key for the reversed lookup table\nprint(key)',
    ],
    [
      'the writer introducing themselves with their team',
      "I'm Lars from the IT team. How do I request sick leave in Workday for next week?",
    ],
    [
      'the writer introducing themselves with their team (German)',
      'Hallo, ich bin Katrin aus dem Vertrieb: wie beantrage ich eine Krankmeldung im Portal?',
    ],
    [
      'an article about pregnancy loss naming no one (Spanish)',
      'Escribe un artículo para el blog de la oficina sobre cómo acompañar a quien perdió el bebé, sin nombres.',
    ],
    [
      'someone unnamed from a team',
      'Someone from the support team said she reads articles about morning sickness for a customer FAQ; can you outline one?',
    ],
    ['a brother with a schoolmate (Portuguese)', 'Traduz: "O meu irmão está com um rapaz da escola a fazer o trabalho de grupo."'],
    [
      'a brother going running with a teammate (Spanish)',
      'Traduce: "Mi hermano sale con un chico de su equipo a correr los sábados por la mañana."',
    ],
    ['seeing a man about a car', 'My brother is seeing a man about the old car on Friday; write him a checklist of questions to ask.'],
    [
      'a brother with a classmate (Spanish)',
      'Traduce al inglés: "Mi hermano está con un chico de su clase haciendo los deberes de matemáticas."',
    ],
    ["an aunt's boyfriend (Spanish)", 'Escribe una felicitación: mi tía Carmen se casa con su novio Luis el sábado.'],
    [
      'rent arrears in general (Spanish)',
      '¿Qué pasa legalmente en España si un inquilino debe tres meses de alquiler? Explica el proceso de desahucio en general.',
    ],
    [
      'an XOR puzzle without a credential',
      "What does this print? It's from a CTF warm-up about XOR.\n\nunsigned char m[] = {0x02, 0x2f, 0x26, 0x26, 0x25, 0x6a, 0x1d, 0x25, 0x38, 0x26, 0x2e};\nfor (i = 0; i < 11; i++) putchar(m[i] ^ 0x4a);",
    ],
    ['an order id of 13 digits', 'Our order ID 4829301847562 failed in the webhook, why would Stripe resend it?'],
    ['pregnancy advice in Afrikaans', 'Skryf n kort artikel oor wat swanger vroue moet eet in die eerste trimester.'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });

  it('a real secret in an example env file is still found', () => {
    expect(categories('# .env.example\nJWT_SECRET=9fK2xQ7vLp4TzR8wN3mB6cY1hD5gJ0sA\nDB_PASSWORD=changeme')).toContain('credential');
  });

  it('a password made of words, not an instruction, is still found', () => {
    expect(categories('DB_PASSWORD=get-rich-quick-2024\n(that is our prod database password, is it strong enough?)')).toContain(
      'credential',
    );
  });
});
