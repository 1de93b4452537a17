// The browser's calls to the app's own routes: JSON with the CSRF header (see src/lib/csrf.ts).
export type ActionAnswer<T> = { data?: T; error?: string; code?: string };

export async function post<T>(path: string, body: unknown, method = "POST"): Promise<ActionAnswer<T>> {
  try {
    const response = await fetch(path, {
      method,
      headers: { "content-type": "application/json", "x-kcp-csrf": "1" },
      body: JSON.stringify(body),
    });
    return (await response.json()) as ActionAnswer<T>;
  } catch {
    return { error: "The help centre cannot be reached. Check your connection; what you typed is kept.", code: "NETWORK" };
  }
}

export function action<T>(name: string, input: Record<string, unknown>): Promise<ActionAnswer<T>> {
  return post<T>("/api/action", { action: name, input });
}

export function newKey(): string {
  return crypto.randomUUID();
}
