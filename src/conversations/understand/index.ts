export { understand } from './understand';
export {
  decisions, intentSchema, returnReasons, type DecideIntent, type DecisionWord, type Intent, type IntentName, type ReturnIntent, type ReturnReason,
} from './intent';
export { FULL_HELP_TEXT, HELP_COMMANDS, fallbackHelpText } from './help';
export { parseChineseNumber } from './chinese-number';
