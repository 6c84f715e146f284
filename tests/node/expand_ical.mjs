// Mozilla's ical.js (Thunderbird's reader) expanding calendar files the way a calendar app
// does. Reads {"name": "<ics text>", ...} and "from"/"to" ISO instants as JSON on stdin;
// prints {"name": ["<UTC ISO start of each event that goes ahead>", ...], ...}.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { files, from, to } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const first = new Date(from);
const last = new Date(to);
const result = {};

for (const [name, text] of Object.entries(files)) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  const starts = [];
  for (const component of calendar.getAllSubcomponents("vevent")) {
    if (component.getFirstPropertyValue("status") === "CANCELLED") continue;
    const event = new ICAL.Event(component);
    const expansion = event.iterator();
    for (let next = expansion.next(); next; next = expansion.next()) {
      const start = next.toJSDate();
      if (start > last) break;
      if (start >= first) starts.push(start.toISOString());
    }
  }
  result[name] = starts.sort();
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.remove(zone.getFirstPropertyValue("tzid"));
  }
}
process.stdout.write(JSON.stringify(result));
