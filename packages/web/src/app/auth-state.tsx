import type { User } from "@cocanvas/protocol";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, RequestError, setCsrfToken } from "./api-client.ts";

interface AuthAnswer {
  user: User;
  csrfToken: string | null;
}

export interface AuthState {
  /** undefined while the first `/api/auth/me` is in flight; null when signed out. */
  user: User | null | undefined;
  logIn(email: string, password: string): Promise<void>;
  signUp(email: string, password: string, name: string): Promise<void>;
  logOut(): Promise<void>;
  /** Shows changes to your own account (profile page) everywhere at once. */
  replaceUser(user: User): void;
}

const AuthContext = createContext<AuthState | null>(null);

/** Holds who is signed in; every page reads it through `useAuth`. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  const accept = useCallback((answer: AuthAnswer) => {
    setCsrfToken(answer.csrfToken);
    setUser(answer.user);
  }, []);

  useEffect(() => {
    api
      .get<AuthAnswer>("/api/auth/me")
      .then(accept)
      .catch((error: unknown) => {
        if (!(error instanceof RequestError) || error.status !== 401) console.warn("Could not load the session", error);
        setUser(null);
      });
  }, [accept]);

  const logIn = useCallback(
    async (email: string, password: string) => accept(await api.post<AuthAnswer>("/api/auth/login", { email, password })),
    [accept],
  );
  const signUp = useCallback(
    async (email: string, password: string, name: string) =>
      accept(await api.post<AuthAnswer>("/api/auth/signup", { email, password, ...(name.trim() ? { name: name.trim() } : {}) })),
    [accept],
  );
  const logOut = useCallback(async () => {
    try {
      await api.post("/api/auth/logout");
    } finally {
      setCsrfToken(null);
      setUser(null);
    }
  }, []);

  const state = useMemo(() => ({ user, logIn, signUp, logOut, replaceUser: setUser }), [user, logIn, signUp, logOut]);
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth is used outside <AuthProvider>");
  return state;
}

/** The signed-in user; only for pages rendered behind the sign-in gate. */
export function useSignedInUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error("useSignedInUser is used on a page that does not require sign-in");
  return user;
}
