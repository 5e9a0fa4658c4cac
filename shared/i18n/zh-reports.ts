// Simplified Chinese for the station reports (日结, 派费结算, 盘库) that main
// renders to signed PDF/CSV, each label beside its English (en-reports.ts, the
// same shape); the screens show the same words. Plain data importing nothing,
// so main's report builders read it as they are (main/exports/report-text.ts).
export const zhReports = {
  report: {
    facts: {
      station: '驿站',
      period: '期间',
      exported: '导出',
    },
    flow: {
      carrier: '快递公司',
      received: '入库',
      handedOver: '出库',
      returned: '退回',
      onShelf: '在架',
      overdue: '滞留',
    },
    dailyClose: {
      title: '日结',
      closed: '日结',
      papers: '面单',
      papersValue: '撤下 {{detached}} · 销毁 {{destroyed}}',
      stocktake: '盘库',
      stocktakeValue: '应在架 {{expected}} · 找到 {{found}} · 缺失 {{missing}} · 错放 {{misplaced}} · 多出 {{extra}}',
    },
    settlement: {
      title: '派费结算',
      basis: '计费依据',
      basisValue: '入库件数 × 每件派费（元）',
      amountDue: '应结金额（元）',
      fee: '派费（元/件）',
      amount: '金额（元）',
    },
    stocktake: {
      title: '盘库',
      started: '开始',
      closed: '结束',
      layers: '货架层',
      difference: '差异',
      waybill: '运单号',
      bookedAt: '账面货架',
      foundAt: '实际货架',
      expected: '应在架',
      found: '找到',
      missing: '缺失',
      misplaced: '错放',
      extra: '多出',
    },
  },
};

export type ReportMessages = typeof zhReports;
