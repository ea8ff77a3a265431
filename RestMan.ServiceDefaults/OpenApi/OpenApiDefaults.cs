using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>An example of a request or response body, shown in the OpenAPI document (and so in the API docs).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class OpenApiExampleAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>Marks an endpoint as the first (Rust) implementation's spelling of one of ours: documented, but deprecated.</summary>
public sealed record FirstImplementationAlias(string PrimaryRoute);

/// <summary>
/// Every service's OpenAPI document (<c>/openapi/v1.json</c>), described the same way: bearer security on the endpoints
/// that need a session, problem+json for every error status, first-implementation aliases deprecated. The gateway
/// merges these documents into the public one.
/// </summary>
public static class OpenApiDefaults
{
    public const string BearerScheme = "Bearer";
    public const string ProblemSchema = "Problem";
    public const string CompatibilityTag = "First implementation (compatibility)";
    private const string ProblemContentType = "application/problem+json";

    public static IServiceCollection AddDefaultOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo { Title = $"RestMan {context.ApplicationServices.GetRequiredService<IHostEnvironment>().ApplicationName}", Version = "v1" };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The token from POST /auth/verify-otp.",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchema] = Problem();
                return Task.CompletedTask;
            });
            // Required means what the endpoint rejects when missing: [Required]. Request records take every field as a
            // nullable constructor parameter (so a missing one is a 400 naming it), which must not read as required.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object)
                {
                    var required = context.JsonTypeInfo.Properties
                        .Where(p => p.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
                        .Select(p => p.Name)
                        .ToHashSet();
                    schema.Required = required.Count > 0 ? required : null;
                    if (context.JsonTypeInfo.Type.GetCustomAttributes(typeof(OpenApiExampleAttribute), inherit: false) is [OpenApiExampleAttribute example])
                        schema.Examples = [JsonNode.Parse(example.Json)!];
                }
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
                if (signedIn)
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];

                operation.Responses ??= new OpenApiResponses();
                var hasInput = context.Description.ParameterDescriptions.Count > 0;
                if (hasInput) AddProblem(operation, context.Document, StatusCodes.Status400BadRequest, "The input is not valid; `errors` names each field.");
                if (signedIn)
                {
                    AddProblem(operation, context.Document, StatusCodes.Status401Unauthorized, "No valid session: sign in again.");
                    AddProblem(operation, context.Document, StatusCodes.Status403Forbidden, "The session's role may not do this.");
                }
                if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                    AddProblem(operation, context.Document, StatusCodes.Status404NotFound, "Not found, or not yours to see.");
                AddProblem(operation, context.Document, StatusCodes.Status503ServiceUnavailable, "A dependency is briefly away; retry after `Retry-After` seconds.");

                if (metadata.OfType<FirstImplementationAlias>().FirstOrDefault() is { } alias)
                {
                    operation.Deprecated = true;
                    operation.Tags = new HashSet<OpenApiTagReference> { new(CompatibilityTag, context.Document) };
                    operation.Description = $"The first implementation's spelling of `{alias.PrimaryRoute}`; same behaviour and rules. Prefer `{alias.PrimaryRoute}`.";
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>Documents this endpoint as an alias of <paramref name="primaryRoute"/> (deprecated, compatibility tag).</summary>
    public static TBuilder AsFirstImplementationAlias<TBuilder>(this TBuilder builder, string primaryRoute) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FirstImplementationAlias(primaryRoute));

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key)) return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    /// <summary>RFC 9457 with our additions: a stable <c>code</c>, <c>errors</c> per field, the trace id.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable, machine-readable reason." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "For 400: each invalid field with its messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
        Examples = [new JsonObject
        {
            ["title"] = "The request is not valid.",
            ["status"] = 400,
            ["detail"] = "name: is required.",
            ["code"] = "validation_failed",
            ["errors"] = new JsonObject { ["name"] = new JsonArray("is required.") },
            ["trace_id"] = "4bf92f3577b34da6a3ce929d0e0e4736",
        }],
    };
}
