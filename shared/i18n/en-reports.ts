// English for the station reports; the same shape as zh-reports.ts. Plain data
// importing nothing but its type, read by main's report builders.
import type { ReportMessages } from './zh-reports';

export const enReports: ReportMessages = {
  report: {
    facts: {
      station: 'Station',
      period: 'Period',
      exported: 'Exported',
    },
    flow: {
      carrier: 'Carrier',
      received: 'Received',
      handedOver: 'Handed over',
      returned: 'Returned',
      onShelf: 'On the shelves',
      overdue: 'Overdue',
    },
    dailyClose: {
      title: 'Daily close',
      closed: 'Closed',
      papers: 'Paper waybills',
      papersValue: 'detached {{detached}} · destroyed {{destroyed}}',
      stocktake: 'Stocktake',
      stocktakeValue: 'expected {{expected}} · found {{found}} · missing {{missing}} · misplaced {{misplaced}} · extra {{extra}}',
    },
    settlement: {
      title: 'Carrier settlement',
      basis: 'Fee basis',
      basisValue: 'parcels received × fee per parcel (yuan)',
      amountDue: 'Amount due (yuan)',
      fee: 'Fee (yuan/parcel)',
      amount: 'Amount (yuan)',
    },
    stocktake: {
      title: 'Stocktake',
      started: 'Started',
      closed: 'Closed',
      layers: 'Shelf-layers',
      difference: 'Difference',
      waybill: 'Waybill',
      bookedAt: 'Booked at',
      foundAt: 'Found at',
      expected: 'Expected',
      found: 'Found',
      missing: 'Missing',
      misplaced: 'Misplaced',
      extra: 'Extra',
    },
  },
};
