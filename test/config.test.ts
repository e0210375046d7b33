import { describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, helpText, loadConfig, OPTIONS, shownDefaults } from '../src/config.js';
import { ENGINE_DEFAULTS } from '../src/engine/defaults.js';
import { tempDir } from './helpers/tmp.js';
import { HTTP_DEFAULTS } from '../src/transports/defaults.js';
import { engineOptions } from '../src/serve.js';

describe('configuration', () => {
  it('documents every option in the README with its flag, env var and config key', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const defaults = shownDefaults();
    for (const o of OPTIONS) {
      const row = readme.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${o.env}\``));
      expect(row, `README has no row for ${o.env}`).toBeTruthy();
      expect(row).toContain(`--${o.kind === 'bool' && defaults[o.key] === 'true' ? '[no-]' : ''}`);
      expect(row).toContain(o.flag);
      if (o.key !== 'config') expect(row).toContain(`\`${o.key}\``); // the config file has no key of its own
    }
  });

  it('--help shows the defaults written once in ENGINE_DEFAULTS and HTTP_DEFAULTS', () => {
    const shown = shownDefaults();
    const help = helpText();
    const show = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));
    for (const [key, value] of Object.entries({ ...ENGINE_DEFAULTS, ...HTTP_DEFAULTS })) {
      expect(shown[key], key).toBe(show(value));
      const o = OPTIONS.find((x) => x.key === key)!;
      if (shown[key])
        expect(
          help.split('\n').find((l) => l.includes(`--${o.flag} `) || l.endsWith(`--${o.flag}`) || l.includes(`--${o.flag} <`)),
          key,
        ).toContain(`[${shown[key]}]`);
    }
  });

  it('has embedded defaults that serve with no flags', () => {
    const { config } = loadConfig([], {});
    expect(config.strategy).toBe('balanced');
    expect(config.http).toBe(false);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir.length).toBeGreaterThan(0);
  });

  it('takes file < env < flags, in that order', () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ parallel: 3, strategy: 'cost_optimized', threads: 2, dataDir: '/from/file' }));
    const { config } = loadConfig(['--config', file, '--threads', '4'], {
      RUVLLM_MCP_STRATEGY: 'privacy_first',
      RUVLLM_MCP_THREADS: '1',
    });
    expect(config.parallel).toBe(3); // file
    expect(config.strategy).toBe('privacy_first'); // env beats file
    expect(config.threads).toBe(4); // flag beats env
    expect(config.dataDir).toBe('/from/file');
  });

  it('reads lists, booleans and --no- flags', () => {
    const { config } = loadConfig(['--servers', 'http://127.0.0.1:1,http://127.0.0.1:2', '--no-scan-default-dirs', '--http'], {
      RUVLLM_MCP_LEARNING: 'false',
    });
    expect(config.servers).toEqual(['http://127.0.0.1:1', 'http://127.0.0.1:2']);
    expect(config.scanDefaultDirs).toBe(false);
    expect(config.http).toBe(true);
    expect(config.learning).toBe(false);
  });

  it('says what to fix for bad values', () => {
    expect(() => loadConfig(['--threads', 'many'], {})).toThrow(/--threads: expected a whole number, got "many"/);
    expect(() => loadConfig(['--strategy', 'cheapest'], {})).toThrow(/strategy \(--strategy \/ RUVLLM_MCP_STRATEGY\)/);
    expect(() => loadConfig(['--bogus'], {})).toThrow(/--help/);
    expect(() => loadConfig([], { RUVLLM_MCP_PORT: '70000' })).toThrow(ConfigError);
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(() => loadConfig(['--config', join(dir, 'bad.json')], {})).toThrow(/not valid JSON/);
    writeFileSync(join(dir, 'unknown.json'), JSON.stringify({ modelz: 'x' }));
    expect(() => loadConfig(['--config', join(dir, 'unknown.json')], {})).toThrow(/modelz/);
  });

  it("reads the pool's timing from flags, env and the config file, and says what to fix for bad values", () => {
    const defaults = loadConfig([], {}).config;
    expect([defaults.poolCooldownMs, defaults.poolMaxCooldownMs, defaults.poolHealthIntervalMs, defaults.poolFirstTokenTimeoutMs]).toEqual([
      2000, 60_000, 2000, 60_000,
    ]);
    expect(defaults.poolHealthTimeoutMs).toBe(2000);
    const dir = tempDir();
    const file = join(dir, 'pool.json');
    writeFileSync(file, JSON.stringify({ poolCooldownMs: 300, poolHealthIntervalMs: 0 }));
    const { config } = loadConfig(['--config', file, '--pool-max-cooldown-ms', '9000', '--pool-health-timeout-ms', '750'], {
      RUVLLM_MCP_POOL_FIRST_TOKEN_TIMEOUT_MS: '15000',
    });
    expect(config.poolHealthTimeoutMs).toBe(750);
    expect(loadConfig([], { RUVLLM_MCP_POOL_HEALTH_TIMEOUT_MS: '4000' }).config.poolHealthTimeoutMs).toBe(4000);
    expect([config.poolCooldownMs, config.poolMaxCooldownMs, config.poolHealthIntervalMs, config.poolFirstTokenTimeoutMs]).toEqual([
      300, 9000, 0, 15_000,
    ]);
    // what reaches the engine (and its pools)
    expect(engineOptions(config).pool).toEqual({
      cooldownMs: 300,
      maxCooldownMs: 9000,
      healthIntervalMs: 0,
      healthTimeoutMs: 750,
      firstTokenTimeoutMs: 15_000,
    });
    expect(() => loadConfig(['--pool-health-timeout-ms', '0'], {})).toThrow(
      /poolHealthTimeoutMs \(--pool-health-timeout-ms \/ RUVLLM_MCP_POOL_HEALTH_TIMEOUT_MS\): must be between 100 and 3600000/,
    );

    expect(() => loadConfig(['--pool-cooldown-ms', '2s'], {})).toThrow(/--pool-cooldown-ms: expected a whole number, got "2s"/);
    expect(() => loadConfig(['--pool-cooldown-ms', '0'], {})).toThrow(
      /poolCooldownMs \(--pool-cooldown-ms \/ RUVLLM_MCP_POOL_COOLDOWN_MS\): must be between 100 and 3600000/,
    );
    expect(() => loadConfig([], { RUVLLM_MCP_POOL_HEALTH_INTERVAL_MS: '5' })).toThrow(
      /poolHealthIntervalMs \(--pool-health-interval-ms \/ RUVLLM_MCP_POOL_HEALTH_INTERVAL_MS\): must be 0 \(no health checks\) or between 100 and 3600000/,
    );
    expect(() => loadConfig(['--pool-first-token-timeout-ms=-1'], {})).toThrow(
      /poolFirstTokenTimeoutMs .*must be 0 \(no first-token timeout\) or between/,
    );
    expect(() => loadConfig(['--pool-cooldown-ms', '5000', '--pool-max-cooldown-ms', '1000'], {})).toThrow(
      /poolMaxCooldownMs \(--pool-max-cooldown-ms \/ RUVLLM_MCP_POOL_MAX_COOLDOWN_MS\): must be at least poolCooldownMs \(--pool-cooldown-ms\), which is 5000/,
    );
  });

  describe('the bearer token', () => {
    const TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
    const tokenFile = (content: string | Buffer, mode = 0o600) => {
      const file = join(tempDir(), 'token');
      writeFileSync(file, content);
      chmodSync(file, mode);
      return file;
    };

    it('reads --token-file / RUVLLM_MCP_TOKEN_FILE / tokenFile: trimmed, with no warning', () => {
      const file = tokenFile(`  ${TOKEN}\n`);
      for (const loaded of [
        loadConfig(['--token-file', file], {}),
        loadConfig([], { RUVLLM_MCP_TOKEN_FILE: file }),
        loadConfig(
          [
            '--config',
            (() => {
              const c = join(tempDir(), 'c.json');
              writeFileSync(c, JSON.stringify({ tokenFile: file }));
              return c;
            })(),
          ],
          {},
        ),
      ]) {
        expect(loaded.config.token).toBe(TOKEN);
        expect(loaded.warnings).toEqual([]);
      }
      expect(loadConfig([], { RUVLLM_MCP_TOKEN: TOKEN }).warnings).toEqual([]);
    });

    it('warns that --token on the command line is visible in the process list, and still takes it', () => {
      for (const argv of [['--token', TOKEN], [`--token=${TOKEN}`]]) {
        const loaded = loadConfig(argv, {});
        expect(loaded.config.token).toBe(TOKEN);
        expect(loaded.warnings.length).toBe(1);
        expect(loaded.warnings[0]).toMatch(/process list/);
        expect(loaded.warnings[0]).toMatch(/RUVLLM_MCP_TOKEN/);
        expect(loaded.warnings[0]).toMatch(/--token-file/);
        expect(loaded.warnings[0]).not.toContain(TOKEN);
      }
    });

    it('refuses an empty, oversized, multi-line, shared, missing or non-regular token file, naming it and never echoing its content', () => {
      const cases: Array<[string, RegExp]> = [
        [tokenFile(' \n\n'), /is empty/],
        [tokenFile('x'.repeat(5000)), /larger than 4096 bytes/],
        [tokenFile(`${TOKEN}\nsecond-line-secret`), /one line/],
        [tokenFile(`${TOKEN}\n`, 0o644), /readable by other users.*chmod 600/],
        [tokenFile(`${TOKEN}\n`, 0o602), /other users.*chmod 600/],
        [join(tempDir(), 'missing'), /cannot read/],
        [tempDir(), /not a regular file/],
      ];
      for (const [file, why] of cases) {
        let message = '';
        try {
          loadConfig(['--token-file', file], {});
        } catch (e) {
          expect(e).toBeInstanceOf(ConfigError);
          message = (e as Error).message;
        }
        expect(message, file).toMatch(why);
        expect(message).toContain(file);
        expect(message).not.toContain(TOKEN);
        expect(message).not.toContain('second-line-secret');
      }
    });

    it('refuses a token given twice (a file and a value)', () => {
      const file = tokenFile(TOKEN);
      expect(() => loadConfig(['--token-file', file], { RUVLLM_MCP_TOKEN: TOKEN })).toThrow(/both/);
    });
  });

  it('takes the HTTP defaults from the transport (one place), and the README shows them', () => {
    const { config } = loadConfig([], {});
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8').split('\n');
    for (const [key, value] of Object.entries(HTTP_DEFAULTS)) {
      expect(config[key as keyof typeof config], key).toBe(value);
      const spec = OPTIONS.find((o) => o.key === key)!;
      expect(
        readme.find((l) => l.startsWith('|') && l.includes(`\`${spec.env}\``)),
        key,
      ).toContain(`| \`${value}\` |`);
    }
  });

  it('lists every option with its env var in --help', () => {
    const help = helpText();
    for (const o of OPTIONS) {
      expect(help).toContain(`--${o.flag}`);
      expect(help).toContain(o.env);
    }
  });
});
