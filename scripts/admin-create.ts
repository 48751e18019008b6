// §9 the first administrator of a production database (the seed never makes one there):
//   npm run admin:create -- --username NAME [--display-name TEXT]
// The password is read from standard input (its first line) when that is not a terminal, else asked
// twice without echo — never from the command line, where it would land in the shell's history and
// in `ps`. Migrations and the seed (units, task forces) are applied first, so an empty database will
// do. Refused when an active ADMIN exists already: further people are made through the API by them.
// Exit codes: 0 created; 1 refused (an administrator exists, the username is taken) or failed;
// 2 a usage error or a password the policy refuses.
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { hashPassword, passwordProblem, PASSWORD_MIN_LENGTH } from '../api/auth/password';
import { audit } from '../db/audit';
import { createDb, type Db } from '../db/client';
import { seed } from '../prisma/seed';
import { loadConfig } from '../runtime/config';
import { migrateDeploy } from '../runtime/migrate';

const ACTOR = 'system:admin-create';
const DEFAULT_DISPLAY_NAME = '系统管理员';
const USERNAME = /^[A-Za-z0-9_.-]{2,64}$/;

const USAGE = [
  '用法 (usage): npm run admin:create -- --username 用户名 [--display-name 显示名称]',
  '  密码从标准输入的第一行读取，或在终端中提示输入两次（不回显）。',
  '  (the password is read from the first line of standard input, or asked twice at a terminal without echo)',
].join('\n');

/** A refusal the operator can act on: its message is printed as is, the process ends with its code. */
class Refusal extends Error {
  constructor(readonly exitCode: 1 | 2 | 130, message: string) {
    super(message);
  }
}

interface Args {
  username: string;
  displayName: string;
}

function parseArgs(argv: string[]): Args | 'help' {
  // first of all: a password on the command line is refused before anything else is looked at
  if (argv.some((a) => /^--?password(=|$)/i.test(a) || /^-p$/.test(a))) {
    throw new Refusal(2, [
      '不接受命令行中的密码：命令行参数会留在 shell 历史记录和 ps 输出中。请通过标准输入或终端提示输入密码。',
      '(passwords are never taken from the command line: they land in shell history and `ps`; give it on standard input or at the prompt)',
      USAGE,
    ].join('\n'));
  }
  let username: string | undefined;
  let displayName: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^(--username|--display-name)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      // an unknown option is named; a bare word is not repeated (it may be a secret typed by mistake)
      const what = arg.startsWith('-') ? `未知选项 ${arg.split('=')[0]} (unknown option)` : '多余的参数 (unexpected argument)';
      throw new Refusal(2, `${what}\n${USAGE}`);
    }
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Refusal(2, `${m[1]} 缺少取值 (${m[1]} needs a value)\n${USAGE}`);
    }
    if (m[1] === '--username') username = value;
    else displayName = value;
  }
  if (username === undefined) throw new Refusal(2, `缺少 --username (--username is required)\n${USAGE}`);
  if (!USERNAME.test(username)) {
    throw new Refusal(2, `用户名只能包含字母、数字、_、-、.，长度 2–64 (a username is 2–64 letters, digits, "_", "-" or "."): "${username}"`);
  }
  const name = (displayName ?? DEFAULT_DISPLAY_NAME).trim();
  if (name === '' || name.length > 100) throw new Refusal(2, '显示名称不能为空，且不超过 100 个字符 (--display-name must be 1–100 characters)');
  return { username, displayName: name };
}

/** The usernames of the active administrators. */
async function activeAdmins(db: Pick<Db, 'person'>): Promise<string[]> {
  const people = await db.person.findMany({ where: { active: true, roles: { some: { role: 'ADMIN' } } }, select: { username: true }, orderBy: { username: 'asc' } });
  return people.map((p) => p.username);
}

/** Why the administrator cannot be created, or null. */
async function obstacle(db: Pick<Db, 'person'>, username: string): Promise<Refusal | null> {
  const admins = await activeAdmins(db);
  if (admins.length > 0) {
    return new Refusal(1, `已有管理员：${admins.join(', ')}；请以该管理员身份通过 API 创建其他人员。\n(an administrator already exists: ${admins.join(', ')}; create further people through the API as that administrator)`);
  }
  const taken = await db.person.findFirst({ where: { OR: [{ username }, { id: personId(username) }] }, select: { id: true } });
  if (taken) return new Refusal(1, `用户名 ${username} 已被占用，请换一个用户名。\n(the username ${username} is taken; choose another)`);
  return null;
}

const personId = (username: string) => `p-${username}`;

/** The first line of a piped standard input, without its line ending. */
async function firstLineOf(input: NodeJS.ReadStream): Promise<string> {
  input.setEncoding('utf8');
  let text = '';
  for await (const chunk of input) {
    text += chunk as string;
    if (text.includes('\n')) break; // leaving the loop closes the stream
  }
  return text.split('\n')[0].replace(/\r$/, '');
}

/** Asks at the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stdout.write(chunk, encoding);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      if (!answered) {
        process.stdout.write('\n');
        reject(new Refusal(130, '已取消 (cancelled)'));
      }
    });
    process.stdout.write(question);
    muted = true;
    rl.question('', (answer) => {
      answered = true;
      muted = false;
      process.stdout.write('\n');
      rl.close();
      resolve(answer);
    });
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const password = await firstLineOf(process.stdin);
    if (password === '') throw new Refusal(2, '标准输入中没有密码 (no password on standard input: give it as the first line)');
    return password;
  }
  const first = await askHidden('密码：');
  const second = await askHidden('再次输入密码：');
  if (first !== second) throw new Refusal(2, '两次输入的密码不一致 (the two passwords differ)');
  return first;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  // an empty database becomes a migrated and seeded one (both idempotent); demo accounts only as the
  // configuration says (none in production unless DEMO_PASSWORD is given)
  await migrateDeploy(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  try {
    await seed(db, { demoPassword: config.demoPassword });
    // refused before the password is asked for: nobody types one in vain
    const early = await obstacle(db, args.username);
    if (early) throw early;

    const password = await readPassword();
    const problem = passwordProblem(args.username, password);
    if (problem) {
      throw new Refusal(2, `密码不符合要求：${problem}。\n（要求：至少 ${PASSWORD_MIN_LENGTH} 个字符，且不得包含用户名）`);
    }
    const passwordHash = await hashPassword(password);

    await db.$transaction(async (tx) => {
      const late = await obstacle(tx, args.username); // checked again where it is written
      if (late) throw late;
      const person = await tx.person.create({
        data: {
          id: personId(args.username), username: args.username, displayName: args.displayName, unitId: null, position: null,
          passwordHash, mustChangePassword: false, active: true, roles: { create: { role: 'ADMIN' } },
        },
      });
      await audit(tx, {
        actor: ACTOR, action: 'FIRST_ADMIN_CREATED', target: `person:${person.id}`,
        after: {
          id: person.id, username: person.username, displayName: person.displayName, unitId: person.unitId, position: person.position,
          roles: ['ADMIN'], active: person.active, mustChangePassword: person.mustChangePassword,
        },
      });
    });
    console.log(`已创建管理员 ${args.username}，现在可通过 POST /api/v1/auth/login 登录 (administrator ${args.username} created; they can now log in at POST /api/v1/auth/login)`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2))
  .catch((err: unknown) => {
    if (err instanceof Refusal) {
      console.error(err.message);
      return err.exitCode;
    }
    console.error(`创建管理员失败 (creating the administrator failed): ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  })
  .then((code) => process.exit(code));
