// The gp-online command line: serve, demo, migrate, users, practices, pharmacies, audit.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from './platform/config.ts';
import { loadDemo, loadLancashire } from './demo/index.ts';
import { systemClock } from './platform/clock.ts';
import { englandDay } from './platform/dates.ts';
import { bankHolidays } from './platform/working-days.ts';
import { verifyAudit } from './platform/audit/audit.ts';
import { AppError } from './platform/http/errors.ts';
import { weakPasswordProblem } from './platform/auth/password-strength.ts';
import { DataDirLockedError } from './platform/db/lock.ts';
import { importPractices, addPractice } from './practices/index.ts';
import { importPharmacies } from './pharmacies/index.ts';
import {
  importGeography,
  importGeographyFolder,
  importPomiFiles,
  importPomiFolder,
  practiceFileKind,
} from './programme/index.ts';
import { addStaffUser } from './staff/index.ts';
import { addPatientWithAccount } from './accounts/index.ts';
import { openAndMigrate, serve } from './server.ts';
import { formatSummary, importFhirPath } from './record/index.ts';

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

async function withDb<T>(
  fn: (h: Awaited<ReturnType<typeof openAndMigrate>>, config: ReturnType<typeof loadConfig>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const h = await openAndMigrate(config);
  try {
    return await fn(h, config);
  } finally {
    await h.close();
  }
}

const program = new Command()
  .name('gp-online')
  .description('GP Online: GP online services for patients, practices and programme teams');

program
  .command('serve')
  .description('start the web server')
  .option('--port <n>', 'port to listen on (default PORT or 3000)', int)
  .option('--demo', 'load demo data into an empty database and show the demo sign-in panel')
  .option('--workers <n>', 'processes sharing the port (PostgreSQL only)', int, 1)
  .action(async (opts: { port?: number; demo?: boolean; workers: number }) => {
    const config = loadConfig(undefined, opts.port !== undefined ? { port: opts.port } : {});
    await serve(config, { workers: opts.workers, demo: Boolean(opts.demo) });
  });

program
  .command('demo')
  .description('load the demo data set (safe to run again)')
  .option('--pomi <folder>', 'also load the real POMI files in this folder (such as ../shared/data/pomi)')
  .option(
    '--practices <folder>',
    'also load the practice map, list-size and IMD files in this folder (such as ../shared/data/ods-gp-practices)',
  )
  .action(async (o: { pomi?: string; practices?: string }) => {
    const r = await withDb(async (h, config) => {
      const added = await loadDemo(h.db, systemClock, config.totpKey);
      const ctx = { db: h.db, clock: systemClock, meta: null };
      const pomi = o.pomi ? await importPomiFolder(ctx, o.pomi) : [];
      // POMI's names place the 2013 Lancashire CCGs under their 2018 sub-regions: put the
      // scenario's geography back, so its dashboard still reads as in 2013.
      if (pomi.length) await loadLancashire(ctx);
      const practices = o.practices ? await importGeographyFolder(ctx, o.practices) : [];
      return { added, pomi, practices };
    });
    console.log(JSON.stringify({ added: r.added }));
    for (const p of [...r.pomi, ...r.practices]) console.log(JSON.stringify(p));
  });

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const config = loadConfig();
    const h = await openAndMigrate(config);
    await h.close();
    console.log('database is up to date');
  });

const user = program.command('user').description('staff users and patients');
user
  .command('add')
  .description('add a staff user, or (with --role patient) a patient with a linked, verified online account')
  .requiredOption(
    '--role <role>',
    'receptionist | clinician | practice-manager | facilitator | commissioner | admin | patient',
  )
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .option('--name <name>', 'staff user name')
  .option('--totp-secret <base32>', 'TOTP secret (generated when absent)')
  .option('--practice <ods>', 'practice ODS code')
  .option('--commissioner <code>', 'commissioner code (facilitators and commissioners)')
  .option('--nhs-number <n>')
  .option('--given <name>')
  .option('--family <name>')
  .option('--birth-date <YYYY-MM-DD>')
  .option('--sex <sex>', 'female | male | other | unknown', 'unknown')
  .option('--proofing <level>', 'P0 | P5 | P9', 'P9')
  .option('--record-level <level>', 'none | summary | detailed | full', 'none')
  .option('--services <list>', 'comma-separated: appointments,repeats,pharmacy', '')
  .action(async (o: Record<string, string | undefined>) => {
    const out = await withDb(async (h, config) => {
      const ctx = { db: h.db, clock: systemClock, meta: null };
      if (o.role === 'patient') {
        // The factory behind this is shared with tests; the command checks guessability itself.
        const weak = await weakPasswordProblem(o.password ?? '', [o.email ?? '']);
        if (weak) throw AppError.invalid([{ field: 'password', message: weak }]);
        return addPatientWithAccount(ctx, o, config.totpKey);
      }
      const r = await addStaffUser(
        ctx,
        { kind: 'system' },
        {
          email: o.email ?? '',
          name: o.name ?? o.email ?? '',
          role: o.role ?? '',
          password: o.password ?? '',
          totpSecret: o.totpSecret,
          practiceOds: o.practice?.toUpperCase() ?? null,
          commissionerCode: o.commissioner ?? null,
        },
        config.totpKey,
      );
      return { staff_id: r.id, totp_secret: r.totpSecret };
    });
    console.log(JSON.stringify(out));
  });

program
  .command('practice')
  .description('practices')
  .command('add')
  .requiredOption('--ods <code>')
  .requiredOption('--name <name>')
  .option('--postcode <postcode>')
  .option('--commissioner <code>')
  .action(async (o: { ods: string; name: string; postcode?: string; commissioner?: string }) => {
    await withDb((h) =>
      addPractice(
        { db: h.db, clock: systemClock, meta: null },
        { kind: 'system' },
        {
          odsCode: o.ods.toUpperCase(),
          name: o.name,
          addressLines: [],
          postcode: o.postcode ?? null,
          commissionerCode: o.commissioner ?? null,
          status: 'active',
          prescribingSetting: 4,
          openDate: null,
          closeDate: null,
          phone: null,
        },
      ),
    );
    console.log(JSON.stringify({ ods_code: o.ods.toUpperCase() }));
  });

program
  .command('import-practices <files...>')
  .description(
    'load practices from an ODS epraccur CSV (2019 or 2023 layout), and their PCNs, list sizes and ' +
      'deprivation from NHS Digital practice map (gp-reg-pat-prac-map), list-size (gp-reg-pat-prac-all) ' +
      'and Fingertips IMD (indicator 93553) files; each file is told by its first line',
  )
  .option('--gp-only', 'only GP practices (prescribing setting 4), for epraccur')
  .action(async (files: string[], o: { gpOnly?: boolean }) => {
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const kind = practiceFileKind(text);
      if (kind !== 'epraccur') {
        const g = await withDb((h) =>
          importGeography({ db: h.db, clock: systemClock, meta: null }, { kind: 'system' }, text, {
            fileName: basename(file),
            kind,
          }),
        );
        console.log(JSON.stringify({ file: basename(file), ...g }));
        continue;
      }
      const r = await withDb((h) =>
        importPractices({ db: h.db, clock: systemClock, meta: null }, { kind: 'system' }, text, {
          gpPracticesOnly: Boolean(o.gpOnly),
        }),
      );
      console.log(
        JSON.stringify({
          file: basename(file),
          kind,
          practices: r.practices,
          inserted: r.inserted,
          updated: r.updated,
          skipped: r.skipped,
          problems: r.problems.length,
        }),
      );
      for (const p of r.problems.slice(0, 20)) console.error(`line ${String(p.line)}: ${p.message}`);
    }
  });

program
  .command('import-pharmacies <file>')
  .description(
    'load pharmacies from an ODS edispensary.csv (no header row; a file with a bad row is refused whole)',
  )
  .option('--skip-bad-rows', 'load the good rows and report the bad ones')
  .action(async (file: string, o: { skipBadRows?: boolean }) => {
    const text = readFileSync(file, 'utf8');
    const r = await withDb((h) =>
      importPharmacies({ db: h.db, clock: systemClock, meta: null }, { kind: 'system' }, text, {
        skipBadRows: Boolean(o.skipBadRows),
      }),
    );
    console.log(
      JSON.stringify({
        pharmacies: r.pharmacies,
        inserted: r.inserted,
        updated: r.updated,
        problems: r.problems.length,
      }),
    );
    for (const p of r.problems.slice(0, 20)) console.error(`line ${String(p.line)}: ${p.message}`);
  });

program
  .command('import-pomi <files...>')
  .description(
    "load NHS Digital POMI files (the published long format or the wide monthly layout); each file all or nothing, a practice's month replaced by a later import",
  )
  .action(async (files: string[]) => {
    const done = await withDb((h) => importPomiFiles({ db: h.db, clock: systemClock, meta: null }, files));
    for (const r of done) console.log(JSON.stringify(r));
  });

program
  .command('import-fhir <path>')
  .description('import GP records from FHIR R4 Bundles, single resources or bulk NDJSON (a file or a folder)')
  .requiredOption('--practice <ods>', 'the practice the patients are registered at')
  .option(
    '--assign-test-nhs-numbers',
    'give patients without an NHS number a stable one from the 999 test range (synthetic data only)',
  )
  .option(
    '--skip-invalid-resources',
    "import each patient's valid resources and report the invalid ones (default: refuse the patient)",
  )
  .option('--json', 'print the summary as JSON')
  .action(
    async (
      path: string,
      o: { practice: string; assignTestNhsNumbers?: boolean; skipInvalidResources?: boolean; json?: boolean },
    ) => {
      const tty = process.stderr.isTTY && !o.json;
      const r = await withDb((h) =>
        importFhirPath(
          { db: h.db, clock: systemClock, meta: null },
          o.practice.toUpperCase(),
          path,
          {
            assignTestNhsNumbers: Boolean(o.assignTestNhsNumbers),
            skipInvalidResources: Boolean(o.skipInvalidResources),
          },
          (done, total) => {
            if (!tty) return;
            const width = 30;
            const filled = Math.round((done / Math.max(total, 1)) * width);
            process.stderr.write(
              `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done)}/${String(total)} patients`,
            );
            if (done === total) process.stderr.write('\n');
          },
        ),
      );
      console.log(o.json ? JSON.stringify(r) : formatSummary(r));
      if (r.errors.length) process.exitCode = 1;
    },
  );

program
  .command('audit')
  .description('the audit stream')
  .command('verify')
  .description('check the hash chains: any edited or deleted row is reported')
  .action(async () => {
    const r = await withDb((h) => verifyAudit(h.db));
    if (r.ok) {
      console.log(`audit OK: ${String(r.events)} events in ${String(r.chains)} chains`);
    } else {
      for (const p of r.problems) console.error(`chain ${p.chain} row ${p.seq}: ${p.problem}`);
      console.error(`audit FAILED: ${String(r.problems.length)} problems in ${String(r.events)} events`);
      process.exitCode = 1;
    }
  });

program
  .command('bank-holidays [year]')
  .description(
    'the England and Wales bank holidays that repeat prescription ready days skip (check against gov.uk)',
  )
  .action((year?: string) => {
    const y = year === undefined ? Number(englandDay(systemClock.now()).slice(0, 4)) : Number(year);
    if (!Number.isInteger(y) || y < 1900 || y > 2200) {
      console.error('gp-online: the year must be written like 2027');
      process.exitCode = 1;
      return;
    }
    for (const [day, name] of bankHolidays(y)) console.log(`${day}  ${name}`);
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(`gp-online: ${err.message}`);
  } else if (err instanceof AppError) {
    console.error(`gp-online: ${err.message}`);
    for (const f of err.fields) console.error(`  ${f.field}: ${f.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
