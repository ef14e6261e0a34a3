export {
  AppConfig,
  ConfigError,
  DEVELOPMENT_SECRETS,
  isDevelopmentSecret,
  loadConfig,
  DEFAULT_DATABASE_URL,
  DEFAULT_DATABASE_OWNER_URL,
  DEFAULT_DATABASE_PLATFORM_URL,
} from './config';
export { APP_CONFIG, ConfigModule } from './config.module';
