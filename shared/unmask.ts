// Why a clerk may see a full value: a fixed list, plus free text.
export const UNMASK_PURPOSES = {
  dispute: { zh: '纠纷处理', en: 'Dispute' },
  delivery_issue: { zh: '派送异常联系收件人', en: 'Contact the recipient about a delivery problem' },
  identity_check: { zh: '核实取件人身份', en: 'Verify the person collecting' },
  return_contact: { zh: '退件前联系收件人', en: 'Contact the recipient before a return' },
  authority_request: { zh: '有关部门依法调取', en: 'Lawful request from an authority' },
} as const;
export type UnmaskPurpose = keyof typeof UNMASK_PURPOSES;

export const UNMASK_FIELDS = ['name', 'phone', 'address'] as const;
export type UnmaskField = (typeof UNMASK_FIELDS)[number];

export interface UnmaskResult {
  field: UnmaskField;
  value: string;
  /** The renderer hides the value after this many seconds. */
  revealSeconds: number;
}
