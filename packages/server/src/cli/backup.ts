import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ApiError } from "@cocanvas/protocol";
import { migrations } from "../storage/migrations.ts";
import { privateFile, privateFolder } from "../storage/private-files.ts";
import { SecretBox, SecretUnreadableError } from "../storage/secret-box.ts";
import type { Storage } from "../storage/storage.ts";
import { runningServerPid } from "./server-pid.ts";

type Progress = (done: number, total: number) => void;

/** Copies the live database to `file` with SQLite's online backup (consistent while in use). */
export async function backupDataDir(storage: Storage, file: string, progress: Progress): Promise<void> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new ApiError("conflict", `${target} exists; choose a new file name.`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await storage.backup(target, progress);
}

/** Checks that `file` is an intact Cocanvas database this version can open. */
function checkBackup(file: string): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ApiError("invalid_request", `${file} cannot be opened as a database: ${(error as Error).message}`);
  }
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") throw new ApiError("invalid_request", `${file} is damaged: ${integrity}`);
    const schema = db.pragma("user_version", { simple: true }) as number;
    if (schema < 1 || schema > migrations.length) throw new ApiError("invalid_request", `${file} is not a Cocanvas backup this version can restore (schema ${schema}).`);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError("invalid_request", `${file} is not a Cocanvas backup: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Replaces the data folder's database with a backup. Refuses while a server runs on the
 * folder (it holds documents in memory that the restore would contradict).
 */
export async function restoreDataDir(dataDir: string, file: string, progress: Progress): Promise<void> {
  const source = path.resolve(file);
  const pid = runningServerPid(dataDir);
  if (pid) throw new ApiError("conflict", `A Cocanvas server (pid ${pid}) is running on ${dataDir}; stop it first.`);
  checkBackup(source);
  privateFolder(dataDir);
  const database = path.join(dataDir, "cocanvas.db");
  const staging = `${database}.restoring`;
  fs.rmSync(staging, { force: true });
  privateFile(staging);
  const db = new Database(source, { readonly: true });
  try {
    await db.backup(staging, {
      progress: ({ totalPages, remainingPages }) => {
        progress(totalPages - remainingPages, totalPages);
        return 100;
      },
    });
  } finally {
    db.close();
  }
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(database + suffix, { force: true });
  fs.renameSync(staging, database);
}

/**
 * Settings a database holds encrypted (provider keys) that the data folder's key file
 * cannot open — after a restore without `secret.key`, or with another folder's. Empty
 * when all open; the server then reports the same per key, and keeps serving.
 */
export function unreadableSecrets(dataDir: string): { names: string[]; keyFile: string } {
  const box = new SecretBox(dataDir);
  const db = new Database(path.join(dataDir, "cocanvas.db"), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT key, value FROM settings WHERE value LIKE 'enc:v1:%'").all() as { key: string; value: string }[];
    const names = rows
      .filter((row) => {
        try {
          box.open(row.value, row.key);
          return false;
        } catch (error) {
          if (error instanceof SecretUnreadableError) return true;
          throw error;
        }
      })
      .map((row) => row.key);
    return { names, keyFile: box.keyFile };
  } finally {
    db.close();
  }
}
