package dev.picket.injector.install;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;

/**
 * Evaluates a ValidatingAdmissionPolicy the way the API server does, with cel-java: matchConditions (all
 * must hold, else the policy does not apply), then its variables (in order, reachable as
 * {@code variables.<name>}), then every validation. An expression that fails to evaluate counts as the
 * policy failing, which with {@code failurePolicy: Fail} denies the request.
 *
 * <p>What differs from the API server: {@code object}, {@code oldObject} and {@code request} are dynamic
 * maps rather than objects typed by the OpenAPI schema (reading an absent field is an error in both), and
 * variables are evaluated eagerly instead of lazily. {@code authorizer} is Kubernetes' Authz library
 * ({@code group().resource().subresource().namespace().check().allowed()}) over a fixed set of grants.
 */
final class AdmissionPolicyCel {

    private static final OpaqueType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
    private static final OpaqueType GROUP_CHECK = OpaqueType.create("kubernetes.authorization.GroupCheck");
    private static final OpaqueType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
    private static final OpaqueType DECISION = OpaqueType.create("kubernetes.authorization.Decision");

    /** What the fake authorizer allows: "group/resource[/subresource] namespace verb". */
    record Authorizer(Set<String> grants) {
    }

    record GroupCheck(Authorizer authorizer, String group) {
    }

    record ResourceCheck(Authorizer authorizer, String group, String resource, String subresource, String namespace) {
        ResourceCheck with(String newSubresource, String newNamespace) {
            return new ResourceCheck(authorizer, group, resource, newSubresource, newNamespace);
        }
    }

    record Decision(boolean allowed) {
    }

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setOptions(CelOptions.current().build())
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("request", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .addVar("authorizer", AUTHORIZER)
            .addFunctionDeclarations(
                    CelFunctionDecl.newFunctionDeclaration("group",
                            CelOverloadDecl.newMemberOverload("authorizer_group", GROUP_CHECK, AUTHORIZER, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("resource",
                            CelOverloadDecl.newMemberOverload("groupcheck_resource", RESOURCE_CHECK, GROUP_CHECK, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("subresource",
                            CelOverloadDecl.newMemberOverload("resourcecheck_subresource", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("namespace",
                            CelOverloadDecl.newMemberOverload("resourcecheck_namespace", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("check",
                            CelOverloadDecl.newMemberOverload("resourcecheck_check", DECISION, RESOURCE_CHECK, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("allowed",
                            CelOverloadDecl.newMemberOverload("decision_allowed", SimpleType.BOOL, DECISION)))
            .addFunctionBindings(
                    CelFunctionBinding.from("authorizer_group", Authorizer.class, String.class, GroupCheck::new),
                    CelFunctionBinding.from("groupcheck_resource", GroupCheck.class, String.class,
                            (g, r) -> new ResourceCheck(g.authorizer(), g.group(), r, "", "")),
                    CelFunctionBinding.from("resourcecheck_subresource", ResourceCheck.class, String.class,
                            (c, s) -> c.with(s, c.namespace())),
                    CelFunctionBinding.from("resourcecheck_namespace", ResourceCheck.class, String.class,
                            (c, n) -> c.with(c.subresource(), n)),
                    CelFunctionBinding.from("resourcecheck_check", ResourceCheck.class, String.class,
                            (c, verb) -> new Decision(c.authorizer().grants().contains(c.group() + "/" + c.resource()
                                    + (c.subresource().isEmpty() ? "" : "/" + c.subresource()) + " " + c.namespace() + " " + verb))),
                    CelFunctionBinding.from("decision_allowed", Decision.class, Decision::allowed))
            .build();

    private final CelRuntime.Program[] conditions;
    private final String[] conditionNames;
    private final Map<String, CelRuntime.Program> variables = new LinkedHashMap<>();
    private final List<CelRuntime.Program> validations = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    AdmissionPolicyCel(ValidatingAdmissionPolicy policy) {
        List<MatchCondition> matchConditions = policy.getSpec().getMatchConditions();
        conditions = new CelRuntime.Program[matchConditions.size()];
        conditionNames = new String[matchConditions.size()];
        for (int i = 0; i < matchConditions.size(); i++) {
            conditions[i] = program("matchConditions " + matchConditions.get(i).getName(), matchConditions.get(i).getExpression());
            conditionNames[i] = matchConditions.get(i).getName();
        }
        for (Variable variable : policy.getSpec().getVariables()) {
            variables.put(variable.getName(), program("variable " + variable.getName(), variable.getExpression()));
        }
        for (Validation validation : policy.getSpec().getValidations()) {
            validations.add(program("validation '" + validation.getMessage() + "'", validation.getExpression()));
            messages.add(validation.getMessage());
        }
    }

    /** Compiles (parses and type-checks) one expression; a broken expression fails with its place. */
    static CelRuntime.Program program(String where, String expression) {
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            return CEL.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new AssertionError(where + " does not compile: " + e.getMessage(), e);
        }
    }

    /** The policy's verdict on one request. */
    sealed interface Outcome {
    }

    /** A matchCondition was false: the policy does not judge this request. */
    record NotMatched(String condition) implements Outcome {
    }

    record Allowed() implements Outcome {
    }

    /** Denied, with the messages of the validations that failed (or the evaluation error). */
    record Denied(List<String> messages) implements Outcome {
    }

    Outcome evaluate(Map<String, Object> request, Map<String, Object> oldObject, Map<String, Object> object,
            Set<String> grants) {
        Map<String, Object> activation = new LinkedHashMap<>();
        activation.put("request", request);
        activation.put("oldObject", oldObject);
        activation.put("object", object);
        activation.put("authorizer", new Authorizer(grants));
        try {
            for (int i = 0; i < conditions.length; i++) {
                if (!Boolean.TRUE.equals(conditions[i].eval(activation))) {
                    return new NotMatched(conditionNames[i]);
                }
            }
            Map<String, Object> values = new LinkedHashMap<>();
            activation.put("variables", values);
            for (Map.Entry<String, CelRuntime.Program> variable : variables.entrySet()) {
                values.put(variable.getKey(), variable.getValue().eval(activation));
            }
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < validations.size(); i++) {
                if (!Boolean.TRUE.equals(validations.get(i).eval(activation))) {
                    failed.add(messages.get(i));
                }
            }
            return failed.isEmpty() ? new Allowed() : new Denied(failed);
        } catch (CelEvaluationException e) {
            // failurePolicy: Fail
            return new Denied(List.of("evaluation error: " + e.getMessage()));
        }
    }
}
