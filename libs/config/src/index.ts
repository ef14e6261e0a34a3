export * as envRead from './env';
export { DEVELOPMENT_SECRETS, isDevelopmentSecret } from './env';
export {
  AppConfig,
  ConfigError,
  loadConfig,
  DEFAULT_DATABASE_URL,
  DEFAULT_DATABASE_OWNER_URL,
  DEFAULT_DATABASE_PLATFORM_URL,
} from './config';
export { APP_CONFIG, ConfigModule } from './config.module';
