import { describe, expect, it } from 'vitest';
import { previewLines } from './db-text.ts';

describe('rollback preview text', () => {
  it('says when accounts and the audit log do not survive, naming the account tables and their rows', () => {
    const lines = previewLines({
      to: '0',
      undo: [
        {
          name: '0002_accounts',
          tables: [
            { name: 'auth_account', rows: 2 },
            { name: 'auth_user', rows: 1 },
          ],
          columns: [],
          functions: ['create_profile_for_auth_user()'],
        },
        { name: '0001_core', tables: [{ name: 'audit_log', rows: null }], columns: [], functions: [] },
      ],
      accountsSurvive: false,
      auditSurvives: false,
    });
    expect(lines).toEqual([
      'Rolling back to 0 undoes 2 migrations, newest first:',
      '  0002_accounts',
      '    drops table auth_account (2 rows)',
      '    drops table auth_user (1 row)',
      '    drops functions create_profile_for_auth_user',
      '  0001_core',
      '    drops table audit_log (already missing)',
      'Accounts DO NOT survive: auth_account (2 rows), auth_user (1 row) dropped; nobody can sign in, and migrating forward does not bring them back.',
      'audit_log is dropped too: this rollback cannot be recorded there.',
    ]);
  });

  it('says plainly when nothing is applied after the target', () => {
    expect(
      previewLines({ to: '0102_refunds', undo: [], accountsSurvive: true, auditSurvives: true }),
    ).toEqual(['nothing to roll back: no migration after 0102_refunds is applied']);
  });
});
