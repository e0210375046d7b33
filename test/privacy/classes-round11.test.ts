import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the eleventh blind evaluation (data/router/privacy-blind-11.jsonl) found missed or falsely flagged,
// generalised (version 13; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 12.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('secrets kept as C strings: byte arrays with their terminating NUL, and character-literal arrays', () => {
  it.each([
    [
      'a password as hex bytes ending in 0x00',
      'static const uint8_t DB_PASS[] = {0x4b, 0x61, 0x74, 0x7a, 0x65, 0x24, 0x39, 0x42, 0x61, 0x75, 0x6d, 0x21, 0x32, 0x30, 0x00};\ndb_login("svc_app", (const char*)DB_PASS);',
    ],
    [
      'a password as an array of character literals',
      "const char MQTT_PASSWORD[] = {'q','7','R','m','-','x','2','L','p','9','!','V','z',0};",
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['a device name as character literals', "static const char DEVICE[] = {'g','r','e','e','n','h','o','u','s','e','-','0','7',0};"],
    [
      'a greeting as bytes with a NUL',
      'const uint8_t MSG[] = {0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x2c, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64, 0x21, 0x00};',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('a hex key assigned to a terse vendor name (api, app)', () => {
  it.each([
    ['a tfvars pair', 'newrelic_api = "c4d8a1f09e7b3265d1a0f4e8b9c27d35"\nnewrelic_acct = "3311209"'],
    ['an env line', 'DD_API=9f0c27b1e4d83a65f2c19b07de4a8c31'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['a commit SHA under an app name', 'deployed_app = "9f0c27b1e4d83a65f2c19b07de4a8c3150b6e9d2" # commit of the release'],
    ['an api base URL', 'billing_api = "https://billing.internal.example.com/v2"'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('religious practice, union membership and pregnancy of named people (German and other languages)', () => {
  it.each([
    ['fasting in Ramadan', 'Hinweis für die Schichtleitung: Herr Emre Aydın fastet im Ramadan und braucht die Pause nach Sonnenuntergang.'],
    ['an IG-Metall compound', 'Frau Petra Lindner ist seit Januar IG-Metall-Mitglied und möchte deshalb an der Versammlung teilnehmen.'],
    ['a pregnancy in German', 'Unter uns: Frau Julia Brandt ist schwanger (9. SSW), das Team weiß es noch nicht.'],
    ['a pregnancy in Spanish', 'Nota para RR. HH.: Lucía Morales está embarazada de cuatro meses y pide cambiar de turno.'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it.each([
    ['a question about Ramadan hours', 'Wie verschieben sich die Fastenzeiten im Ramadan in Norwegen im Sommer?'],
    ['a general pregnancy question', 'Ab welcher SSW darf man in Deutschland schwanger nicht mehr nachts arbeiten?'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('documented test people and synthetic generators', () => {
  it.each([
    [
      'a validator test of a test personnummer with a wrong check digit',
      '@Test\nvoid ogiltigt() {\n    // Tolvan Tolvansson, testperson\n    assertFalse(Personnummer.isValid("19121212-1214"));\n}',
    ],
    [
      'a specimen identity filled in field by field after it was named',
      'Testfall für den Ausweis-Parser, Grundlage: das Muster mit Max Mustermann.\n\nNachname: MUSTERMANN\nVorname: MAX\nGeburtsdatum: 01.01.1983\nGeburtsort: KÖLN',
    ],
    [
      'a Synthea patient with a condition',
      'Synthea run for our demo. Write a FHIR query for patients with type 2 diabetes and HbA1c > 8%:\n{"resourceType":"Patient","name":[{"family":"Ondricka197","given":["Lorita217"]}],"gender":"female","birthDate":"1971-06-02"}',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it('a real person with the same condition still is', () => {
    expect(flagged('Patient Lorenz Obermaier, born 1971-06-02, has hypertension and type 2 diabetes; summarise his file.')).toBe(true);
  });
});
