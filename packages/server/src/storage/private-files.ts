import fs from "node:fs";

/**
 * Makes `file` readable and writable by its owner only (`0600`): creates it empty with
 * that mode when missing, or narrows the mode of an existing one (data folders from
 * before this rule). SQLite gives a database's -wal, -shm and journal files the mode of
 * the database itself, so making the database private makes them private too.
 */
export function privateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    if ((fs.statSync(file).mode & 0o077) === 0) return;
    try {
      fs.chmodSync(file, 0o600);
    } catch (chmodError) {
      // Another account's file (an operator's CLI run as another user): leave its mode to its owner.
      if ((chmodError as NodeJS.ErrnoException).code !== "EPERM") throw chmodError;
    }
  }
}

/** Creates a folder (and its parents) that only its owner may enter, as data folders are. */
export function privateFolder(folder: string): void {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
}
