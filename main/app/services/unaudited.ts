// The application services' public methods that write no audit entry, each
// with the reason. Every other public method records one (checked by
// test/unit/service-audit-coverage.test.ts), so audit coverage is reviewed here.
export const UNAUDITED: Record<string, Record<string, string>> = {
  AccountsService: {
    status: 'the shift state and two counts; no personal data',
    lock: 'the screen locks, the shift goes on; nothing is shown or changed',
    list: 'staff accounts only, to supervisors',
    find: 'one staff account by name, for the CLI to act on',
    pendingEnrolmentUri: 'the secret of an account just created, whose creation is audited',
  },
  OversightService: {
    auditEntries: 'reading the audit log (ids and staff names only) is the auditor’s role',
    verifyAudit: 'a check of the chain, changes nothing',
    alerts: 'alerts are themselves audit entries',
    anomalySettings: 'the anomaly thresholds and opening hours',
    openAlertCount: 'a count of open alerts, no person',
  },
  ClosingService: {
    fees: 'the fee per parcel by carrier',
    history: 'closed days: counts per carrier, each close itself audited',
  },
  CounterService: {
    daily: 'counts per day, no parcel',
    scanOut: 'the batch it returns was already shown (and recorded) by returnBatch or moveToReturnBatch; handToCourier records the hand-off',
    openReturnBatches: 'batch summaries with counts, no parcel cards',
    flagProblem: 'recorded on the parcel with who flagged it; the list that shows flagged parcels is audited',
    settings: 'shelf layout, slot choice and time limits',
    myShift: 'counts of one’s own shift, no parcel',
    staffDay: 'counts per person for a day, no parcel',
  },
  InboundService: {},
  PhotosService: {
    settings: 'the photo mode and crop region',
    settled: 'waits for photos being stored; each is audited with its digest as it is stored',
  },
  ShelvesService: {
    shelfLabels: 'labels naming shelf-layers only, no parcel',
  },
  StocktakeService: {
    current: 'the stocktake under way: its shelf-layers and scan count',
    scan: 'stored with who scanned it; the close that counts every scan is audited',
    progress: 'waybill numbers and shelf-layers of the differences so far, no personal data',
  },
  LedgerService: {
    openBatch: 'custody before destruction: the batch row names who opened it; the destruction that ends it is audited and chained',
    openBatches: 'waybill numbers of paper in custody, no personal data',
    scan: 'custody before destruction: the batch item names who scanned it',
    addCount: 'custody before destruction: the batch item names who counted it',
    remove: 'custody before destruction: an item taken out of an open batch',
    entries: 'the shred ledger, itself a signed chain',
    outstanding: 'waybill numbers awaiting destruction, no personal data',
    outstandingCount: 'a count of papers awaiting destruction',
  },
  DevicesService: {
    list: 'USB devices attached',
    status: 'device connection state',
    printJobs: 'print job states, no label content',
    discover: 'printers and queues attached or installed; no personal data',
    discoverScanners: 'serial ports with USB ids; no personal data',
    testPage: 'the station name and a sample barcode; no parcel',
    printerLabels: 'each printer’s label size and language',
    labelSetup: 'this counter’s label size and language',
  },
  NotifyService: {
    settings: 'notice settings; the credentials are never returned',
    preview: 'a template rendered with station facts and sample codes',
    outbox: 'notices: parcel ids, template and status, never a number',
    drain: 'each notice it settles is recorded by the sender (main/notify/sender.ts) in the transaction that settles it',
    optOutStatus: 'whether a number declined notices; the number is not kept',
    start: 'starts the background drain, whose sends are recorded',
    close: 'stops the background drain',
  },
  Lifecycle: {
    start: 'starts the scheduler, whose jobs audit themselves',
    close: 'stops the scheduler',
    restricted: 'whether incident mode is on',
    status: 'lifecycle state and counts',
    settings: 'retention settings',
    incidentList: 'incident summaries, no parcel',
    backups: 'backup files in the folder',
  },
};
