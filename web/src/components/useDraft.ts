"use client";
// A form's text kept in sessionStorage as it is typed, so an expired session, a failed request or
// a detour through the sign-in page never loses it; cleared once the server has it.
import { useEffect, useState } from "react";

export function useDraft(key: string): [string, (value: string) => void, () => void] {
  const [value, setValue] = useState("");
  useEffect(() => {
    const saved = window.sessionStorage.getItem(key);
    if (saved) setValue(saved);
  }, [key]);
  const update = (next: string) => {
    setValue(next);
    window.sessionStorage.setItem(key, next);
  };
  const clear = () => {
    setValue("");
    window.sessionStorage.removeItem(key);
  };
  return [value, update, clear];
}
