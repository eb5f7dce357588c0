import deskEn from './desk.en.json';
import deskZhCN from './desk.zh-CN.json';
import mainEn from './en.json';
import mainZhCN from './zh-CN.json';

/**
 * Every text of the app: the main files, and the supervisors' and admins' screens in files of
 * their own (desk.*.json) whose top-level keys the main files do not use.
 */
export const zhCN = { ...mainZhCN, ...deskZhCN };
export const en = { ...mainEn, ...deskEn };
