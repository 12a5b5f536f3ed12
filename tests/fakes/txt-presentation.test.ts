import { describe, expect, it } from "bun:test";
import { txtProblem } from "./kit/txt-presentation.ts";

/** The fakes' check of TXT data in zone-file syntax (RFC 1035 §5.1): quoted character-strings of at most 255 octets. */
describe("TXT data in zone-file syntax, as the fakes check it", () => {
  it.each([
    { name: "one quoted string", value: '"heritage=ddnsd,owner=site-a"', problem: undefined },
    { name: "two strings, blank between", value: '"v=DKIM1; k=rsa; " "p=MIIB"', problem: undefined },
    { name: "escaped quote and backslash inside", value: '"say \\"hi\\" \\\\ bye"', problem: undefined },
    { name: "a decimal escape counts as one octet", value: `"${"a".repeat(254)}\\065"`, problem: undefined },
    { name: "exactly 255 characters", value: `"${"a".repeat(255)}"`, problem: undefined },
    { name: "the bare text", value: "heritage=ddnsd,owner=site-a", problem: '"heritage=ddnsd,owner=site-a" is not TXT data in zone-file syntax: each character-string must be in double quotes' },
    { name: "a quote left open", value: '"open', problem: '"\\"open" is not TXT data in zone-file syntax: each character-string must be in double quotes' },
    { name: "text after the closing quote", value: '"a"b', problem: '"\\"a\\"b" is not TXT data in zone-file syntax: each character-string must be in double quotes' },
    { name: "256 characters in one string", value: `"${"a".repeat(256)}"`, problem: `${JSON.stringify(`"${"a".repeat(256)}"`)} has a character-string longer than 255 characters: split it` },
    { name: "nothing", value: "  ", problem: '"  " holds no character-string' },
  ])("$name", ({ value, problem }) => {
    expect(txtProblem(value)).toBe(problem);
  });
});
