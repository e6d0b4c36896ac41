// Drives a live Signpost server through a client generated from the
// server's own OpenAPI document (openapi-typescript into gen/, not kept in
// the repository; see .ci/clients.sh) and openapi-fetch: register, login, a
// forecast, the admin's resolution, a leaderboard page and comments. It
// fails on any answer the flow does not expect.
import createClient from "openapi-fetch";
import type { components, paths } from "./gen/signpost.js";

type Entry = components["schemas"]["Entry"];
type TeamEntry = components["schemas"]["TeamEntry"];

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

// ok is the typed answer, or an error naming the status and body the server
// gave instead.
function ok<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined) {
    throw new Error(`${what}: status ${r.response.status}: ${JSON.stringify(r.error)}`);
  }
  return r.data;
}

function isEntry(row: Entry | TeamEntry): row is Entry {
  return "user" in row;
}

const api = createClient<paths>({ baseUrl: env("SIGNPOST_URL") });
const name = "ts" + new Date().toISOString().slice(11, 19).replaceAll(":", "");
const password = "a-long-password";

ok("register", await api.POST("/api/v1/auth/register", { body: { username: name, password } }));
const auth = ok("login", await api.POST("/api/v1/auth/login", { body: { username: name, password } }));
const asUser = { Authorization: `Bearer ${auth.token}` };
const adminAuth = ok("admin login", await api.POST("/api/v1/auth/login", {
  body: { username: env("SIGNPOST_ADMIN_USERNAME"), password: env("SIGNPOST_ADMIN_PASSWORD") },
}));
const asAdmin = { Authorization: `Bearer ${adminAuth.token}` };

const hour = 3600 * 1000;
const now = Date.now();
const t = ok("create tournament", await api.POST("/api/v1/tournaments", {
  headers: asAdmin,
  body: {
    slug: name, title: { en: `Client check ${name}` },
    starts_at: new Date(now - hour).toISOString(), ends_at: new Date(now + 720 * hour).toISOString(),
  },
}));
const q = ok("create question", await api.POST("/api/v1/tournaments/{slug}/questions", {
  params: { path: { slug: t.slug } },
  headers: asAdmin,
  body: {
    slug: "rain", kind: "binary", title: { en: "Will it rain?" }, criteria: { en: "Yes if it rains." },
    opens_at: new Date(now - hour).toISOString(), closes_at: new Date(now + 24 * hour).toISOString(),
  },
}));

const f = ok("forecast", await api.POST("/api/v1/questions/{id}/forecasts", {
  params: { path: { id: q.id } }, headers: asUser, body: { probability: 0.7 },
}));
if (f.probabilities.length !== 2) throw new Error(`forecast: got ${JSON.stringify(f)}`);
const seen = ok("get question", await api.GET("/api/v1/questions/{id}", { params: { path: { id: q.id } }, headers: asUser }));
if (seen.my_forecast?.id !== f.id) throw new Error(`my_forecast: got ${JSON.stringify(seen.my_forecast)}`);

const resolved = ok("resolve", await api.POST("/api/v1/questions/{id}/resolve", {
  params: { path: { id: q.id } }, headers: asAdmin, body: { outcome: 0 },
}));
if (resolved.state !== "resolved") throw new Error(`resolve: state ${resolved.state}`);

const page = ok("leaderboard", await api.GET("/api/v1/tournaments/{slug}/leaderboard", {
  params: { path: { slug: t.slug }, query: { limit: 10 } }, headers: asUser,
}));
const first = page.entries[0];
if (page.total !== 1 || first === undefined || !isEntry(first) || first.user.username !== name || first.rank !== 1) {
  throw new Error(`leaderboard: got ${JSON.stringify(page)}`);
}

// The team board: the new team ranked (its row a TeamEntry) or unscored.
const team = `${name} team`;
ok("create team", await api.POST("/api/v1/tournaments/{slug}/teams", {
  params: { path: { slug: t.slug } }, headers: asUser, body: { name: team },
}));
const teams = ok("team leaderboard", await api.GET("/api/v1/tournaments/{slug}/leaderboard", {
  params: { path: { slug: t.slug }, query: { by: "team" } }, headers: asUser,
}));
if (teams.entries.some(isEntry)) throw new Error(`team leaderboard: an individual row in ${JSON.stringify(teams)}`);
const ranked = teams.entries.filter((e): e is TeamEntry => !isEntry(e)).map((e) => e.team.name);
if (![...ranked, ...(teams.unscored_teams ?? []).map((u) => u.team.name)].includes(team)) {
  throw new Error(`team leaderboard: no ${team} in ${JSON.stringify(teams)}`);
}

ok("comment", await api.POST("/api/v1/questions/{id}/comments", {
  params: { path: { id: q.id } }, headers: asUser, body: { body: "Rain was likely." },
}));
const list = ok("list comments", await api.GET("/api/v1/questions/{id}/comments", {
  params: { path: { id: q.id }, query: {} }, headers: asUser,
}));
const c = list.comments[0];
if (list.comments.length !== 1 || c?.body !== "Rain was likely." || c.user.username !== name) {
  throw new Error(`list comments: got ${JSON.stringify(list.comments)}`);
}
console.log("openapi-typescript client: register, login, forecast, resolve, leaderboard, comments: ok");
