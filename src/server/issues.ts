import type * as z from 'zod/mini';

/**
 * One zod issue as a short sentence naming its path; never quotes the input. `format(path)`
 * words a format problem (a regex or a refinement) for the provider's fields.
 */
export function describeIssue(issue: z.core.$ZodIssue, format: (path: string) => string): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : 'the body';
  // Parsed with reportInput, so a missing field shows as an issue whose input is undefined.
  if ('input' in issue && issue.input === undefined) return `${path} is missing`;
  switch (issue.code) {
    case 'invalid_type':
      return `${path} must be ${issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `${path} must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_big':
      return `${path} is too long`;
    case 'invalid_format':
    case 'custom':
      return format(path);
    default:
      return `${path} is invalid`;
  }
}
