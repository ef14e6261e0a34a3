import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Validates FHIR R4 resources with HAPI FHIR's validator (the HL7 org.hl7.fhir.validation engine)
 * offline: R4 core definitions and terminology from hapi-fhir-validation-resources-r4, plus the
 * conformance resources (StructureDefinition, ValueSet, CodeSystem) of one local implementation
 * guide package directory. Profiles claimed in meta.profile are checked; an unknown profile is an
 * error. Code systems with no local content (SNOMED CT, LOINC, UCUM is built in) give a warning.
 *
 * Usage: java ValidateDocuments IG_PACKAGE_DIR FILE.json... Prints one JSON line per file:
 * {"file": ..., "issues": [{"severity", "location", "messageId", "message"}]}. Exit 0 unless it
 * could not run (validation findings are data, not a failure of this program).
 */
public final class ValidateDocuments {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ValidateDocuments IG_PACKAGE_DIR FILE.json...");
      System.exit(2);
    }
    FhirContext ctx = FhirContext.forR4Cached();
    IParser parser = ctx.newJsonParser();
    PrePopulatedValidationSupport ig = new PrePopulatedValidationSupport(ctx);
    int loaded = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(args[0]), "*-*.json")) {
      for (Path file : files) {
        ig.addResource(parser.parseResource(Files.readString(file, StandardCharsets.UTF_8)));
        loaded++;
      }
    }
    UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(ctx);
    unknownSystems.setNonExistentCodeSystemSeverity(
        ca.uhn.fhir.context.support.IValidationSupport.IssueSeverity.WARNING);
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(ctx),
        ig,
        new CommonCodeSystemsTerminologyService(ctx),
        new InMemoryTerminologyServerValidationSupport(ctx),
        new SnapshotGeneratingValidationSupport(ctx),
        unknownSystems);
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    module.setErrorForUnknownProfiles(true);
    module.setAnyExtensionsAllowed(false);
    FhirValidator validator = ctx.newValidator().registerValidatorModule(module);
    System.err.println("ValidateDocuments: " + loaded + " conformance resources from " + args[0]);

    for (int i = 1; i < args.length; i++) {
      String json = Files.readString(Path.of(args[i]), StandardCharsets.UTF_8);
      ValidationResult result = validator.validateWithResult(json);
      List<String> issues = new ArrayList<>();
      for (SingleValidationMessage m : result.getMessages()) {
        issues.add("{\"severity\":" + quote(m.getSeverity().getCode())
            + ",\"location\":" + quote(m.getLocationString())
            + ",\"messageId\":" + quote(m.getMessageId())
            + ",\"message\":" + quote(m.getMessage()) + "}");
      }
      System.out.println("{\"file\":" + quote(args[i]) + ",\"issues\":[" + String.join(",", issues) + "]}");
    }
  }

  private static String quote(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
