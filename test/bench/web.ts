import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startHub } from '@hub/gateway';
import { WEB_DIST_DIR } from '@hub/web';
import { chromium } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.mjs';
import { saveResults } from './results.js';

const LOADS = 20;

interface PaintRow {
  page: string;
  loads: number;
  fcpP50Ms: number;
  fcpP99Ms: number;
  mapDrawnP50Ms: number | null;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 10) / 10;
};

/** The page's JavaScript and CSS as a browser downloads them: gzipped bytes per file type. */
async function bundleSizes(): Promise<{ jsGzipKb: number; cssGzipKb: number }> {
  const assets = join(WEB_DIST_DIR, 'assets');
  let js = 0;
  let css = 0;
  for (const name of await readdir(assets)) {
    const size = gzipSync(await readFile(join(assets, name))).length;
    if (name.endsWith('.js')) js += size;
    if (name.endsWith('.css')) css += size;
  }
  return { jsGzipKb: Math.round(js / 102.4) / 10, cssGzipKb: Math.round(css / 102.4) / 10 };
}

/**
 * First contentful paint of the hub's page in Chromium (fresh context each load, so nothing is
 * cached), and when the map's 34 provinces are drawn; the baseline is a one-paragraph page served
 * by a bare node server in the same run.
 */
export async function runWebBench(): Promise<void> {
  if (buildWeb() !== 0) throw new Error('the web page did not build');
  const loadAtStart = os.loadavg()[0] ?? 0;
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-web-bench-'));
  const hub = await startHub({
    mode: 'embedded',
    port: 0,
    host: '127.0.0.1',
    dataDir,
    postgresUrl: '',
    kafkaBrokers: [],
    development: false,
  });
  const plain = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="vi"><title>x</title><p>Xin chào</p></html>');
  });
  await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
  const browser = await chromium.launch({
    executablePath: process.env.HUB_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const rows: PaintRow[] = [];
  try {
    const pages = [
      {
        page: 'baseline: one paragraph, bare node server',
        url: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/`,
        map: false,
      },
      { page: 'hub page / (national view)', url: hub.url.replace(/\/graphql$/, '/'), map: true },
    ];
    for (const target of pages) {
      const fcp: number[] = [];
      const drawn: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        await page.goto(target.url);
        if (target.map) await page.locator('path[data-province-code]').nth(33).waitFor();
        const times = await page.evaluate(() => ({
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
          now: performance.now(),
        }));
        fcp.push(times.fcp);
        if (target.map) drawn.push(times.now);
        await context.close();
      }
      rows.push({
        page: target.page,
        loads: LOADS,
        fcpP50Ms: percentile(fcp, 50),
        fcpP99Ms: percentile(fcp, 99),
        mapDrawnP50Ms: target.map ? percentile(drawn, 50) : null,
      });
    }
  } finally {
    await browser.close();
    plain.close();
    await hub.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString().slice(0, 10),
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
    bundle: await bundleSizes(),
    paint: rows,
  };
  console.table(rows);
  console.log(`JavaScript ${report.bundle.jsGzipKb} KB gzipped, CSS ${report.bundle.cssGzipKb} KB gzipped`);
  const markdown = [
    `# Web page benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}); 1-minute load average ${report.loadAverage.atStart.toFixed(1)} at the start, ${report.loadAverage.atEnd.toFixed(1)} at the end. Headless Chromium, a fresh context (empty cache) per load, the hub in embedded mode on the same machine. "Map drawn" is when all 34 provinces are in the page (after the JavaScript ran). The baseline is a one-paragraph page from a bare node server, loaded the same way in the same run.`,
    '',
    '| page | loads | first contentful paint p50 ms | p99 ms | map drawn p50 ms |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.page} | ${r.loads} | ${r.fcpP50Ms} | ${r.fcpP99Ms} | ${r.mapDrawnP50Ms ?? '—'} |`),
    '',
    `Bundle: JavaScript ${report.bundle.jsGzipKb} KB gzipped (limit 250 KB), CSS ${report.bundle.cssGzipKb} KB gzipped.`,
    '',
  ].join('\n');
  await saveResults('web', report, markdown);
}
