import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { chromiumPath } from "./system.ts";

/** Debian's Chromium, launched as src/core/integrations/web/browser.ts does. */
export const CHROMIUM = chromiumPath();

export interface OpenedPage {
  page: Page;
  /** Every URL the page asked for (the file itself included); all but the file are refused. */
  requests: string[];
  consoleErrors: string[];
}

/** A headless Chromium for opening generated files; close it with `browser.close()`. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), "leadjobs-test-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
    env: { ...process.env, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Opens `file` at this viewport width, refusing every request but the file itself. */
export async function openFile(browser: Browser, file: string, width: number, height = 900): Promise<OpenedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  const url = `file://${file}`;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    requests.push(r.url());
    if (r.url() === url) void r.continue();
    else void r.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, requests, consoleErrors };
}
