import { explain, type ApiError } from "@/lib/api";

// An error from the API as a message a person can act on, with its code for support.
export function ApiProblem({ errors }: { errors: ApiError[] }) {
  const error = errors[0];
  if (!error) return null;
  return (
    <p className="problem" role="alert">
      {explain(error)} <span className="muted">({error.code})</span>
    </p>
  );
}
