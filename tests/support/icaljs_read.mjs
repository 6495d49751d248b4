// Reads vCard text or jCard JSON from stdin with ical.js (the parser Thunderbird uses)
// and prints what it read as JSON: one array per card, one {name, params, type, values}
// per property, values as ical.js hands them to an application.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const input = readFileSync(0, "utf8");
let parsed;
if (input.trimStart().startsWith("[")) {
  const json = JSON.parse(input);
  parsed = json[0] === "vcard" ? [json] : json;
} else {
  parsed = ICAL.parse(input);
  if (parsed.length && typeof parsed[0] === "string") parsed = [parsed];
}
const cards = parsed.map((jcard) =>
  new ICAL.Component(jcard).getAllProperties().map((property) => ({
    name: property.name,
    params: property.toJSON()[1],
    type: property.type,
    values: property.getValues().map((value) => (typeof value === "object" && value !== null && !Array.isArray(value) ? value.toString() : value)),
  })),
);
process.stdout.write(JSON.stringify(cards));
