/** Contract of the privacy scanner (src/engine/privacy). No MCP types here. */

export interface PrivacyFinding {
  /** credential, private_key, email, phone, payment_card, iban, national_id, date_of_birth, postal_address, medical, salary, financial (a named person's debt, arrears, eviction...), personal_id (an account/employee number next to a name), person_name (that name), special_category (a named person's sexual orientation, religion, union membership, or a minor in proceedings) */
  category: string;
  /** The rule that fired (e.g. a secretlint rule id or "luhn-card"). */
  rule: string;
  start: number;
  end: number;
  /** Where the finding is when not in the task itself, e.g. "messages[2]" (positions are then relative to that message). */
  source?: string;
}

export interface PrivacyScan {
  sensitive: boolean;
  findings: PrivacyFinding[];
  /** The text with every finding replaced by a [REDACTED:category] marker. */
  redacted: string;
}
