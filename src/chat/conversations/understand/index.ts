export { understand } from './understand';
export {
  decisions, intentSchema, measures, periods, returnReasons, workLists, type DecideIntent, type Measure, type MovementIntent, type Period, type StockIntent,
  type WorkIntent, type WorkList, type DecisionWord, type Intent, type IntentName, type ReturnIntent, type ReturnReason, type WorkReportIntent,
  type RequisitionIntent,
} from './intent';
export { FULL_HELP_TEXT, HELP_COMMANDS, fallbackHelpText } from './help';
export { parseChineseNumber } from './chinese-number';
