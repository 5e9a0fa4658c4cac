// Every failure that reaches a person carries a stable code plus a message in
// Chinese and English, so the UI, the CLI and the logs say the same thing.

export const errorMessages = {
  INVALID_INPUT: { zh: '输入无效', en: 'Invalid input' },
  NOT_INITIALISED: { zh: '驿站数据库尚未创建，请先初始化', en: 'The station store has not been created yet; initialise it first' },
  ALREADY_INITIALISED: { zh: '驿站数据库已存在', en: 'The station store already exists' },
  LOCKED: { zh: '数据库已锁定，请先输入驿站口令解锁', en: 'The store is locked; unlock it with the station passphrase first' },
  WRONG_PASSPHRASE: { zh: '驿站口令错误，未做任何更改', en: 'Wrong station passphrase; nothing was changed' },
  WEAK_PASSPHRASE: { zh: '口令太短：至少 8 个字符', en: 'Passphrase too short: at least 8 characters' },
  PASSPHRASE_MISSING: { zh: '未设置环境变量 STATION_PASSPHRASE', en: 'The environment variable STATION_PASSPHRASE is not set' },
  TAMPERED: { zh: '数据校验失败：记录可能被篡改', en: 'Integrity check failed: the record may have been tampered with' },
  NOT_A_STORE: { zh: '该文件不是驿站数据库', en: 'The file is not a station store' },
  STORE_DAMAGED: { zh: '驿站数据库文件已损坏（可能被截断或改写），未做任何更改：请从备份恢复', en: 'The station store file is damaged (cut off or overwritten); nothing was changed: restore it from a backup' },
  STORE_UNREACHABLE: { zh: '无法连接驿站服务器：请检查网络和服务器后重试；未做任何更改', en: 'The station server cannot be reached: check the network and the server, then retry; nothing was changed' },
  STORE_CONNECTION_LOST: { zh: '与驿站服务器的连接中断：该操作可能没有完成（不会留下写了一半的数据），正在自动重连', en: 'The connection to the station server was lost: the action may not have completed (nothing is ever left half-written); reconnecting by itself' },
  STORE_NEEDS_UPGRADE: { zh: '驿站服务器上的数据库结构比本程序旧：请管理员以所有者角色运行 init --db URL 升级后重试', en: 'The store on the station server is older than this program: an administrator runs init --db URL as the owner role to upgrade it, then retry' },
  STATION_KEY_CHANGED: { zh: '驿站密钥已在另一台柜台轮换；请重新输入口令解锁；未做任何更改', en: 'The station key was rotated at another counter; unlock again with the passphrase; nothing was changed' },
  STATION_KEY_ROTATING: { zh: '另一台柜台正在轮换驿站密钥：完成前本柜台不能写入，请稍后重试；未做任何更改', en: 'Another counter is rotating the station key: this counter cannot write until it has finished; try again shortly; nothing was changed' },
  STORE_BUSY: { zh: '另一台柜台正在写入驿站数据，等待超时：未做任何更改，请重试', en: 'Another counter is writing to the station store and the wait timed out; nothing was changed: try again' },
  STORE_LOGIN_REFUSED: { zh: '驿站服务器拒绝登录：用户名或密码错误，或本机未获准连接', en: 'The station server refused the login: wrong user or password, or this PC is not allowed to connect' },
  STORE_TLS_FAILED: { zh: '驿站服务器的证书未通过校验（不是本站 CA 签发，或主机名不符），未连接', en: 'The station server’s certificate failed its check (not issued by the station’s CA, or the host name does not match); not connected' },
  FILE_NOT_FOUND: { zh: '找不到文件', en: 'File not found' },
  FILE_TOO_LARGE: { zh: '文件过大', en: 'File too large' },
  BAD_MANIFEST: { zh: '清单文件无法读取', en: 'The manifest cannot be read' },
  IMPORT_IN_PROGRESS: { zh: '另一份清单正在导入：请等它完成后再导入', en: 'Another manifest is being imported: import this one once it has finished' },
  UNKNOWN_CHANNEL: { zh: '未知的请求', en: 'Unknown request' },
  FORBIDDEN_SENDER: { zh: '请求来源不可信', en: 'Request from an untrusted sender' },
  HID_UNAVAILABLE: { zh: '无法加载 USB HID 驱动', en: 'Cannot load the USB HID driver' },
  DEVICE_OPEN_FAILED: { zh: '无法打开设备：请检查 USB 访问权限（见 docs/devices.md）', en: 'Cannot open the device: check USB access permissions (see docs/devices.md)' },
  NOT_A_POS_SCANNER: { zh: '该扫码枪不是 HID POS 模式；键盘模式的扫码枪无需选择设备', en: 'This scanner is not in HID POS mode; a keyboard-mode scanner needs no device choice' },
  PRINTER_NOT_CHOSEN: { zh: '尚未选择标签打印机', en: 'No label printer has been chosen' },
  PRINTER_FORMAT_MISMATCH: { zh: '打印任务的指令格式与打印机不符', en: 'The print job format does not match the printer language' },
  PRINT_JOB_NOT_FOUND: { zh: '找不到该打印任务', en: 'Print job not found' },
  PRINTER_URI_INVALID: { zh: '打印机地址无效：应为 usb://VID:PID、tcp://主机[:端口]、cups://队列、win://打印机名 或 hid://VID:PID', en: 'Invalid printer address: use usb://VID:PID, tcp://HOST[:PORT], cups://QUEUE, win://PRINTER NAME or hid://VID:PID' },
  PRINTER_UNREACHABLE: { zh: '无法连接打印机：请检查打印机电源、网线或 USB 线；标签仍在打印队列中，连上后会重试', en: 'Cannot reach the printer: check its power, network or USB cable; the label stays in the print queue and is retried once it is back' },
  PRINTER_NOT_READY: { zh: '打印机未就绪（缺纸、开盖或离线），未发送', en: 'The printer is not ready (out of paper, cover open or offline); nothing was sent' },
  PRINTER_CONNECTION_UNSUPPORTED: { zh: '本机不支持这种打印机连接', en: 'This kind of printer connection is not available on this computer' },
  USB_UNAVAILABLE: { zh: '无法加载 USB 打印机驱动（libusb）', en: 'Cannot load the USB printer driver (libusb)' },
  USB_DRIVER_CLAIMED: { zh: '该打印机已被系统驱动占用（Linux usblp 或 Windows 厂商驱动）：请改用系统打印队列（cups:// 或 win://），或见 docs/devices.md', en: 'The printer is held by the system driver (Linux usblp or the maker’s Windows driver): print through the system queue (cups:// or win://) instead, or see docs/devices.md' },
  SPOOLER_FAILED: { zh: '系统打印队列拒绝了该任务', en: 'The system print queue refused the job' },
  SERIAL_UNAVAILABLE: { zh: '无法加载串口驱动', en: 'Cannot load the serial port driver' },
  NOT_LOGGED_IN: { zh: '请先登录', en: 'Please log in first' },
  LOGIN_FAILED: { zh: '用户名、密码或动态码错误', en: 'Wrong username, password or code' },
  WRONG_PIN: { zh: 'PIN 错误', en: 'Wrong PIN' },
  WRONG_CODE: { zh: '动态码错误或已用过', en: 'Wrong or already used authenticator code' },
  ACCOUNT_LOCKED: { zh: '账户已锁定：连续失败次数过多，请站长解锁', en: 'Account locked after too many failures; a supervisor must unlock it' },
  APPROVAL_TRY_LATER: { zh: '审批失败次数过多，请稍候再试', en: 'Too many failed approvals; wait a moment before trying again' },
  APPROVALS_LOCKED: { zh: '审批失败次数过多：您的账户已锁定，请站长解锁', en: 'Too many failed approvals: your account is locked; a supervisor must unlock it' },
  ACCOUNT_DISABLED: { zh: '账户已停用', en: 'Account disabled' },
  USER_NOT_FOUND: { zh: '找不到该用户', en: 'User not found' },
  USER_EXISTS: { zh: '用户名已存在', en: 'Username already exists' },
  WEAK_PASSWORD: { zh: '密码太短：至少 8 个字符', en: 'Password too short: at least 8 characters' },
  WEAK_PIN: { zh: 'PIN 须为 4–8 位数字', en: 'The PIN must be 4–8 digits' },
  TOTP_NOT_ENROLLED: { zh: '尚未绑定动态码，请先完成绑定', en: 'Authenticator not set up yet; finish enrolment first' },
  TOTP_ALREADY_ENROLLED: { zh: '动态码已绑定', en: 'Authenticator already set up' },
  NO_OPEN_SHIFT: { zh: '该店员本班次未登录，请用密码和动态码登录', en: 'No open shift for this clerk; log in with password and code' },
  SESSION_IDLE_LOCKED: { zh: '已锁屏，请输入 PIN 继续', en: 'Screen locked; enter your PIN to continue' },
  SESSION_ANOMALY_LOCKED: { zh: '检测到异常操作，已锁定，请站长复核', en: 'Locked after unusual activity; a supervisor must review it' },
  FORBIDDEN: { zh: '当前角色无权执行此操作', en: 'Your role is not allowed to do this' },
  STEP_UP_REQUIRED: { zh: '此操作需要站长动态码', en: 'This action needs the supervisor’s authenticator code' },
  APPROVER_NOT_SUPERVISOR: { zh: '审批人必须是站长', en: 'The approver must be a supervisor' },
  OWN_ACCOUNT: { zh: '不能更改自己的角色或状态', en: 'You cannot change your own role or status' },
  BOOTSTRAP_DONE: { zh: '站长账户已存在', en: 'The supervisor account already exists' },
  CARRIER_REQUIRED: { zh: '无法从运单号判断快递公司，请选择快递公司', en: 'The carrier cannot be told from the waybill number; choose the carrier' },
  RECIPIENT_REQUIRED: { zh: '该运单不在清单中：请录入收件人姓名和电话', en: 'This waybill is in no manifest: enter the recipient’s name and phone' },
  PARCEL_NOT_FOUND: { zh: '找不到该包裹', en: 'Parcel not found' },
  PARCEL_NOT_ON_SHELF: { zh: '该包裹不在货架上', en: 'This parcel is not on the shelf' },
  PARCEL_ALREADY_OUT: { zh: '该包裹已出库（已取件或已退回），不能再入库', en: 'This parcel has already left (picked up or returned); it cannot be scanned in again' },
  HANDOVER_WRONG_PARCEL: { zh: '错件！该包裹不属于当前取件人，请勿交付（未做任何记录）', en: 'WRONG PARCEL! It does not belong to this customer; do not hand it over (nothing was recorded)' },
  HANDOVER_UNDO_OTHER_CLERK: { zh: '只有办理该次出库的店员本人可以撤销', en: 'Only the clerk who handed the parcel over can undo it' },
  HANDOVER_UNDO_EXPIRED: { zh: '已超过撤销时限，不能撤销该次出库', en: 'The undo window has passed; this handover can no longer be undone' },
  CARRIER_MISMATCH: { zh: '包裹的快递公司与退回批次不符', en: 'The parcel’s carrier does not match the return batch' },
  ALREADY_IN_RETURN_BATCH: { zh: '该包裹已在另一个待退回批次中', en: 'This parcel is already in another open return batch' },
  NOT_IN_RETURN_BATCH: { zh: '该包裹不在待退回的批次中', en: 'This parcel is not in an open return batch' },
  RETURN_BATCH_AMBIGUOUS: {
    zh: '两个待退回批次中都有该运单号：请打开对应批次，在批次里手动输入',
    en: 'Two open return batches hold this waybill number: open the right batch and enter it there',
  },
  RETURN_BATCH_CLOSED: { zh: '该退回批次已交给快递员，不能再更改', en: 'This return batch has been handed to the courier and cannot change' },
  ALERT_NOT_FOUND: { zh: '找不到该异常提醒', en: 'Alert not found' },
  ALERT_ALREADY_REVIEWED: { zh: '该异常提醒已复核', en: 'Alert already reviewed' },
  APPROVAL_REQUIRED: { zh: '店员查看完整信息需站长当场审批（PIN + 动态码）', en: 'A clerk needs a supervisor’s approval on the spot (PIN + code)' },
  DATA_ERASED: { zh: '该包裹的个人信息已按保存期限删除', en: 'This parcel’s personal data has been erased under the retention policy' },
  BATCH_NOT_FOUND: { zh: '找不到该销毁批次', en: 'Destruction batch not found' },
  BATCH_CLOSED: { zh: '该批次已销毁，不能再更改', en: 'This batch has been destroyed and cannot change' },
  BATCH_EMPTY: { zh: '批次为空：请先扫描面单或登记张数', en: 'The batch is empty: scan waybills or add a count first' },
  BATCH_FULL: { zh: '本批次已满，请另开一个批次', en: 'This batch is full; open another one' },
  DUPLICATE_SCAN: { zh: '该面单已扫描过（已在本批次或其他销毁批次中）', en: 'This waybill has already been scanned (in this or another destruction batch)' },
  NOT_IN_BATCH: { zh: '该面单不在本批次中', en: 'This waybill is not in this batch' },
  WITNESS_IS_OPERATOR: { zh: '见证人不能是操作人本人', en: 'The witness cannot be the operator' },
  WITNESS_NOT_ALLOWED: { zh: '审计员不能担任销毁见证人', en: 'An auditor cannot witness a destruction' },
  LEDGER_ENTRY_NOT_FOUND: { zh: '找不到该销毁记录', en: 'Destruction record not found' },
  ALREADY_SIGNED_OFF: { zh: '该记录已签核', en: 'This record has already been signed off' },
  SIGNOFF_OWN_ENTRY: { zh: '不能签核自己操作的销毁', en: 'You cannot sign off a destruction you carried out' },
  WAYBILL_NOT_IN_ENTRY: { zh: '该面单不在这条销毁记录中', en: 'This waybill is not in that destruction record' },
  PERSONAL_DATA_IN_NOTE: { zh: '备注中不能写手机号等个人信息', en: 'Notes must not contain phone numbers or other personal data' },
  ACCESS_RESTRICTED: { zh: '驿站处于事件限制模式：只有站长可以查看完整个人信息', en: 'The station is in incident restriction mode: only a supervisor may see full personal data' },
  DSR_NOT_FOUND: { zh: '找不到该个人信息请求', en: 'Data-subject request not found' },
  DSR_CLOSED: { zh: '该请求已办结', en: 'This request has already been completed' },
  DSR_NOT_ERASURE: { zh: '该请求不是删除请求', en: 'This request is not an erasure request' },
  INCIDENT_NOT_FOUND: { zh: '找不到该安全事件', en: 'Incident not found' },
  INCIDENT_CLOSED: { zh: '该安全事件已结案，不能再更改', en: 'This incident is closed and cannot change' },
  BACKUP_FOLDER_NOT_SET: { zh: '尚未设置备份文件夹', en: 'No backup folder has been set' },
  BACKUP_FOLDER_INVALID: { zh: '备份文件夹不存在或不是文件夹', en: 'The backup folder does not exist or is not a folder' },
  BACKUP_INVALID: { zh: '该文件不是驿站备份或已损坏，未做任何更改', en: 'The file is not a station backup or is damaged; nothing was changed' },
  BACKUP_TRUNCATED: { zh: '备份文件不完整（可能被截断），未做任何更改', en: 'The backup file is incomplete (truncated); nothing was changed' },
  BACKUP_TAMPERED: { zh: '备份文件校验失败（已损坏或被篡改），未做任何更改', en: 'The backup failed its integrity check (damaged or altered); nothing was changed' },
  BACKUP_WRONG_KEY: { zh: '该口令打不开此备份（口令错误，或是其他驿站的备份），未做任何更改', en: 'This passphrase does not open the backup (wrong passphrase, or another station’s backup); nothing was changed' },
  RESTORE_TARGET_EXISTS: { zh: '目标数据库已存在：请恢复到新的路径', en: 'The target store already exists: restore into a new path' },
  ACCOUNT_PASSWORD_MISSING: { zh: '未设置环境变量 ACCOUNT_PASSWORD（新账户的初始密码）', en: 'The environment variable ACCOUNT_PASSWORD (the new account’s first password) is not set' },
  NEW_PASSPHRASE_MISSING: { zh: '未设置环境变量 NEW_STATION_PASSPHRASE', en: 'The environment variable NEW_STATION_PASSPHRASE is not set' },
  EXPORT_KEY_NOT_PINNED: {
    zh: '签名本身有效，但未指定驿站公钥，不能证明是本驿站签署（任何人都能用自己的密钥签名）：请用 --fingerprint、--key 或 --db 指定驿站公钥，并与 PDF 上印的指纹核对',
    en: 'The signature is valid in itself, but no station key was given, so it does not show this station signed it (anyone can sign with their own key): pass --fingerprint, --key or --db, and compare with the fingerprint printed on the PDF',
  },
  EXPORT_WRONG_KEY: { zh: '该文件不是用驿站的密钥签署的', en: 'The file was not signed with the station key' },
  EXPORT_NO_HEADS: { zh: '该导出文件没有签署链头（旧版本导出），无法与数据库比对', en: 'This export signed no chain heads (made by an older version); there is nothing to compare the store with' },
  PUBLIC_KEY_FILE_INVALID: { zh: '驿站公钥文件无法读取（应为 station-key 导出的 PEM 文件）', en: 'The station public-key file cannot be read (expected the PEM file written by station-key)' },
  NOTIFY_TEMPLATE_INVALID: {
    zh: '短信模板只能使用 {station}、{codes}、{hours}、{link}、{days} 这些变量，且须有模板编号',
    en: 'An SMS template may use only {station}, {codes}, {hours}, {link} and {days}, and needs a template code',
  },
  NOTIFY_PROVIDER_UNKNOWN: { zh: '未知的短信服务商', en: 'Unknown SMS provider' },
  NOTIFY_CREDENTIALS_MISSING: { zh: '尚未设置该短信服务商的密钥', en: 'No credentials have been set for this SMS provider' },
  NOTIFY_NOT_MANUAL: { zh: '这条通知不是待手工发送的通知，无法复制', en: 'This notice is not one to send by hand, so it cannot be copied' },
  NOTIFY_QUIET_HOURS_INVALID: { zh: '免打扰时段格式应为 HH:MM-HH:MM', en: 'Quiet hours must be written HH:MM-HH:MM' },
  STOCKTAKE_ALREADY_OPEN: { zh: '已有一次盘库未结束：请继续或先结束它', en: 'A stocktake is still under way: resume it or close it first' },
  STOCKTAKE_NOT_OPEN: { zh: '没有进行中的盘库', en: 'No stocktake is under way' },
  STOCKTAKE_NOT_FOUND: { zh: '找不到该盘库记录', en: 'Stocktake not found' },
  STOCKTAKE_PAUSED: { zh: '盘库已暂停：请先继续', en: 'The stocktake is paused: resume it first' },
  STOCKTAKE_NOT_PAUSED: { zh: '盘库未暂停', en: 'The stocktake is not paused' },
  STOCKTAKE_LAYER_FIRST: { zh: '请先扫描货架层的条码，再扫描该层的包裹', en: 'Scan the shelf-layer’s barcode first, then the parcels on it' },
  STOCKTAKE_LAYER_OUT_OF_SCOPE: { zh: '该货架层不在本次盘库范围内', en: 'This shelf-layer is not part of this stocktake' },
  SHELF_LAYER_UNKNOWN: { zh: '没有这个货架层', en: 'No such shelf-layer' },
  SHELF_REQUIRED: { zh: '本站由店员选择货架：请先选择手边的货架再扫描；未入库', en: 'At this station the clerk picks the shelf: choose the shelf at hand, then scan; not scanned in' },
  SHELF_FULL: { zh: '这个货架已放满：请换一个货架；未入库', en: 'This shelf is full: choose another shelf; not scanned in' },
  SHELVES_FULL: { zh: '所有货架都已放满：请在站务设置中增加货架或容量；未入库', en: 'Every shelf is full: add shelves or capacity in the station settings; not scanned in' },
  DAY_ALREADY_CLOSED: { zh: '该日已日结', en: 'This day has already been closed' },
  DAY_NOT_OVER: { zh: '该日尚未结束，不能日结', en: 'This day is not over yet; it cannot be closed' },
  FEE_TABLE_INVALID: { zh: '派费表无效：每家快递公司一个不小于 0 的金额（元/件）', en: 'Invalid fee table: one amount of at least 0 (yuan per parcel) for each carrier' },
  PHOTO_NOT_FOUND: { zh: '该次出库没有照片', en: 'This handover has no photo' },
  PHOTO_NOT_STORED: { zh: '该次出库拍了照片，但照片没有保存下来（出库记录完好）', en: 'A photo was taken at this handover but was not stored (the handover is recorded)' },
  PHOTO_TOKEN_SPENT: { zh: '这张出库照片的凭据已用过或已过期：照片未保存', en: 'This handover photo’s token was already used or has expired: the photo was not stored' },
  PHOTO_ERASED: { zh: '该出库照片已按保存期限删除', en: 'This handover photo has been erased under the retention policy' },
  INTERNAL: { zh: '内部错误，请联系站长', en: 'Internal error; please tell the supervisor' },
} as const satisfies Record<string, Bilingual>;

export interface Bilingual {
  zh: string;
  en: string;
}

export type ErrorCode = keyof typeof errorMessages;

export interface AppErrorData {
  code: ErrorCode;
  message: Bilingual;
  /** Non-personal detail for the person fixing it (a file name, a field path). */
  detail?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;

  constructor(code: ErrorCode, detail?: string) {
    const m = errorMessages[code];
    super(`${m.zh} / ${m.en}${detail ? ` (${detail})` : ''}`);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }

  toData(): AppErrorData {
    return { code: this.code, message: errorMessages[this.code], ...(this.detail ? { detail: this.detail } : {}) };
  }
}

export function bilingual(m: Bilingual): string {
  return `${m.zh} / ${m.en}`;
}
