import type { Role } from "@cocanvas/protocol";

const roleLabels: Record<Role, string> = { owner: "Owner", editor: "Editor", commenter: "Commenter", viewer: "Viewer" };

interface RoleSelectProps {
  value: Role;
  onChange(role: Role): void;
  roles: readonly Role[];
  testId: string;
}

/** A drop-down of roles. */
export function RoleSelect({ value, onChange, roles, testId }: RoleSelectProps) {
  return (
    <select value={value} onChange={(event) => onChange(event.target.value as Role)} aria-label="Role" data-testid={testId}>
      {roles.map((role) => (
        <option key={role} value={role}>
          {roleLabels[role]}
        </option>
      ))}
    </select>
  );
}
