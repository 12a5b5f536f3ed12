/** The two address families ddnsd manages, and the DNS record type each one is published as. */
export type Family = 4 | 6;
export type RecordType = "A" | "AAAA";

export const FAMILIES: readonly Family[] = [4, 6];

export const recordTypeOf = (family: Family): RecordType => (family === 4 ? "A" : "AAAA");

/** One family's address, already validated (canonical text, publishable). */
export interface FamilyAddress {
  family: Family;
  address: string;
}
