import type { Locale } from '@app/contracts';

/**
 * The Microsoft Entra built-in role template ids a delegated admin relationship may carry
 * (`accessDetails.unifiedRoles[].roleDefinitionId`), checked against Microsoft's "Microsoft Entra
 * built-in roles" reference, and what each means on this platform. Each maps onto one of our
 * customer-side roles or a part of one (libs/auth/src/permissions.ts); part 2 of issue 10 enforces
 * a delegated call against the roles of the caller's access assignment.
 */
export const GDAP_ROLES = {
  '62e90394-69f5-4237-9190-012177145e10': {
    key: 'globalAdministrator',
    ourRole: 'GlobalAdmin',
    en: {
      name: 'Global Administrator',
      description:
        'Everything an administrator of your organisation can do: users and their roles, passwords, partners, subscriptions and settings. Never extended automatically.',
    },
    ja: {
      name: 'グローバル管理者',
      description:
        '組織の管理者が行えるすべての操作 (ユーザーとそのロール、パスワード、パートナー、サブスクリプション、設定)。自動延長されることはありません。',
    },
  },
  'fe930be7-5e62-47db-91af-98c3a49a38b1': {
    key: 'userAdministrator',
    ourRole: 'UserManagementAdmin',
    en: {
      name: 'User Administrator',
      description:
        'Create, change and disable your users and reset their passwords (not those of Global admins).',
    },
    ja: {
      name: 'ユーザー管理者',
      description: 'ユーザーの作成、変更、無効化とパスワードのリセット (グローバル管理者を除く)。',
    },
  },
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': {
    key: 'helpdeskAdministrator',
    ourRole: 'UserManagementAdmin (password resets of users without an admin role only)',
    en: {
      name: 'Helpdesk Administrator',
      description: 'Reset the passwords of your users who hold no administrator role.',
    },
    ja: {
      name: 'ヘルプデスク管理者',
      description: '管理者ロールを持たないユーザーのパスワードのリセット。',
    },
  },
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': {
    key: 'directoryReaders',
    ourRole: 'none (read only: users and their roles)',
    en: {
      name: 'Directory Readers',
      description: 'Read your users and their roles; change nothing.',
    },
    ja: {
      name: 'ディレクトリ閲覧者',
      description: 'ユーザーとそのロールの閲覧のみ (変更はできません)。',
    },
  },
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a': {
    key: 'licenseAdministrator',
    ourRole: 'BillingAdmin (subscriptions read; license assignment)',
    en: {
      name: 'License Administrator',
      description: 'Read your subscriptions and assign their licenses to your users.',
    },
    ja: {
      name: 'ライセンス管理者',
      description: 'サブスクリプションの閲覧と、ユーザーへのライセンスの割り当て。',
    },
  },
  'b0f54661-2d74-4c50-afa3-1ec803f12efe': {
    key: 'billingAdministrator',
    ourRole: 'BillingAdmin',
    en: {
      name: 'Billing Administrator',
      description: 'Read your subscriptions, partners and billing; manage purchases.',
    },
    ja: {
      name: '課金管理者',
      description: 'サブスクリプション、パートナー、請求の閲覧と購入の管理。',
    },
  },
} as const;

export type GdapRoleId = keyof typeof GDAP_ROLES;
export const GDAP_ROLE_IDS = Object.keys(GDAP_ROLES) as GdapRoleId[];
/** Global Administrator: a relationship carrying it is never auto-extended (Graph, §12.1). */
export const GLOBAL_ADMINISTRATOR: GdapRoleId = '62e90394-69f5-4237-9190-012177145e10';

/** The roles of a relationship in plain words, in `locale` (the approval request email). */
export function rolesInWords(
  roleIds: readonly string[],
  locale: Locale,
): { name: string; description: string }[] {
  return roleIds
    .filter((id): id is GdapRoleId => id in GDAP_ROLES)
    .map((id) => GDAP_ROLES[id][locale === 'ja' ? 'ja' : 'en']);
}
