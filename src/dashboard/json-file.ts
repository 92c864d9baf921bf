// Reads one JSON file of an artifacts folder for the dashboard: its value, or an error that names the file.
import { existsSync, readFileSync } from 'node:fs';

/** A JSON file's content, or an error naming the file and the problem; null when the file does not exist. */
export function readJsonFile(path: string, label: string): { value: unknown } | { error: string } | null {
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { error: `${label}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `${label}: not valid JSON (${(e as Error).message})` };
  }
}
