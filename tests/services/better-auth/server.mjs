// The smallest Better Auth service acctl's tests drive: email and password,
// bearer tokens, two-factor (TOTP and backup codes), OpenAPI, on SQLite.
//
//   node server.mjs [PORT]
//
// PORT (argument or $PORT; 0 picks a free one) on 127.0.0.1. The database
// is $BETTER_AUTH_DB (default: in memory) and mail is appended to
// $BETTER_AUTH_MAIL_FILE as one JSON object a line ({to, subject, url}).
// $BETTER_AUTH_DISABLE lists features to leave out (comma-separated:
// two-factor, change-email, delete-user), for tests of a service that lacks
// them. Once listening it prints "listening on http://127.0.0.1:PORT".
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { bearer, openAPI, twoFactor } from "better-auth/plugins";

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const disabled = new Set(
  (process.env.BETTER_AUTH_DISABLE ?? "").split(",").filter(Boolean),
);
const mailFile = process.env.BETTER_AUTH_MAIL_FILE;

function mail(to, subject, url) {
  if (mailFile) {
    appendFileSync(mailFile, JSON.stringify({ to, subject, url }) + "\n");
  }
}

// The base URL is known only once the port is: listen first, then build.
const server = createServer();
server.listen(port, "127.0.0.1", async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const plugins = [bearer(), openAPI()];
  if (!disabled.has("two-factor")) {
    plugins.push(twoFactor({ issuer: "Better Auth test" }));
  }
  const auth = betterAuth({
    baseURL: base,
    // Tests only: a fixed secret so nothing needs configuring.
    secret: "acctl-tests-only-secret-0123456789abcdef",
    database: new Database(process.env.BETTER_AUTH_DB ?? ":memory:"),
    emailAndPassword: { enabled: true },
    emailVerification: {
      sendVerificationEmail: async ({ user, url }) =>
        mail(user.email, "Verify your email", url),
    },
    user: {
      changeEmail: { enabled: !disabled.has("change-email") },
      deleteUser: { enabled: !disabled.has("delete-user") },
    },
    // Tests sign in many times a second from one address.
    rateLimit: { enabled: false },
    plugins,
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  server.on("request", toNodeHandler(auth));
  console.log(`listening on ${base}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => process.exit(0));
}
