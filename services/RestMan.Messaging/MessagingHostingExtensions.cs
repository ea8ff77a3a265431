using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestMan.Data;
using RestMan.Messaging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wires RestMan.Messaging into a service, Aspire client-integration style.</summary>
public static class MessagingHostingExtensions
{
    /// <summary>
    /// Registers the idempotent Kafka producer for <c>ConnectionStrings:{connectionName}</c> (the bootstrap servers)
    /// and a "kafka" readiness health check. Called for you by <see cref="AddOutbox"/>, <see cref="AddEventConsumer"/> and
    /// <see cref="AddKafkaConsumerFactory"/>.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaProducer(this IHostApplicationBuilder builder, string connectionName = "kafka")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var existing = builder.Services.FirstOrDefault(d => d.ServiceType == typeof(KafkaConnectionName))?.ImplementationInstance;
        if (existing is KafkaConnectionName registered)
        {
            return registered.Name == connectionName
                ? builder
                : throw new InvalidOperationException(
                    $"The Kafka producer is already registered for connection '{registered.Name}'; call AddKafkaProducer(\"{connectionName}\") before AddOutbox/AddEventConsumer.");
        }

        builder.AddMessagingCore();
        builder.Services.AddSingleton(new KafkaConnectionName(connectionName));
        builder.Services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.SectionName)
            // Read when first resolved, so configuration a test host adds after Program.cs runs is still seen.
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.BootstrapServers = configuration.GetConnectionString(connectionName) ?? "";
                if (string.IsNullOrWhiteSpace(options.ReplicaId)) options.ReplicaId = configuration[ReplicaIdentity.ConfigurationKey];
            })
            .Validate(options => !string.IsNullOrWhiteSpace(options.BootstrapServers),
                $"ConnectionStrings:{connectionName} (the Kafka bootstrap servers) is not configured.");

        builder.Services.AddSingleton<KafkaProducer>();
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddSingleton<KafkaHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Adds the transactional outbox of <paramref name="schema"/>, which <c>tx.Publish</c> writes to in the service's
    /// units of work (<see cref="RestMan.Data.Database"/>), and the relay that publishes to Kafka, woken after each commit.
    /// The outbox tables are created at start-up. Needs a registered <c>NpgsqlDataSource</c> (AddCockroachDataSource).
    /// </summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder, string schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        MessagingSchema.Validate(schema);
        if (builder.Services.Any(d => d.ServiceType == typeof(OutboxStore)))
            throw new InvalidOperationException("AddOutbox was already called: a service has one outbox, in its own schema.");

        builder.AddKafkaProducer();
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .Configure(options => options.Schema = schema);

        var store = new OutboxStore(schema);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new MessagingTables(schema, MessagingSchema.Outbox(schema)));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<IUnitOfWorkOutbox>(sp => new OutboxWriter(
            store, sp.GetRequiredService<IOptions<MessagingOptions>>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>()));

        AddSchemaInitializer(builder.Services);
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Adds the service's one consumer group, <paramref name="groupId"/>, with its inbox in <paramref name="schema"/>.
    /// Declare handlers on the returned builder; the consumer subscribes to their events' topics.
    /// </summary>
    public static EventConsumerBuilder AddEventConsumer(this IHostApplicationBuilder builder, string groupId, string schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        MessagingSchema.Validate(schema);
        if (builder.Services.Any(d => d.ServiceType == typeof(EventHandlerRegistry)))
            throw new InvalidOperationException("AddEventConsumer was already called: a service has one consumer group.");

        builder.AddKafkaConsumerFactory();
        builder.Services.AddOptions<EventConsumerOptions>()
            .BindConfiguration(EventConsumerOptions.SectionName)
            .Configure(options =>
            {
                options.GroupId = groupId;
                options.Schema = schema;
            })
            .Validate(options => options.MaxAttempts >= 1, "Messaging:Consumer:MaxAttempts must be at least 1.");

        var registry = new EventHandlerRegistry();
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(new InboxStore(schema));
        builder.Services.AddSingleton(new MessagingTables(schema, MessagingSchema.Inbox(schema)));

        AddSchemaInitializer(builder.Services);
        builder.Services.AddHostedService<EventConsumer>();
        return new EventConsumerBuilder(builder.Services, registry);
    }

    /// <summary>
    /// For a service that consumes without an inbox (<see cref="AddEventConsumer"/> keeps one): registers the
    /// <see cref="ConsumeLoop"/> it dispatches batches from, the <see cref="KafkaConsumerFactory"/> that builds its
    /// consumer and reports its lag, and the
    /// <see cref="DeadLetterPublisher"/> for the messages it cannot use, with the producer (see
    /// <see cref="AddKafkaProducer"/>) they are published through. Called for you by <see cref="AddEventConsumer"/>.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaConsumerFactory(this IHostApplicationBuilder builder, string connectionName = "kafka")
    {
        builder.AddKafkaProducer(connectionName); // dead letters are produced
        // Factories: their constructors are internal, which the container does not call by itself.
        builder.Services.TryAddSingleton(sp => new KafkaConsumerFactory(
            sp.GetRequiredService<IOptions<KafkaOptions>>(),
            sp.GetRequiredService<IOptions<MessagingOptions>>(),
            sp.GetRequiredService<MessagingMetrics>(),
            sp.GetRequiredService<ILogger<KafkaConsumerFactory>>()));
        builder.Services.TryAddSingleton(sp => new ConsumeLoop(
            sp.GetRequiredService<KafkaConsumerFactory>(),
            sp.GetRequiredService<MessagingMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConsumeLoop>>()));
        builder.Services.TryAddSingleton(sp => new DeadLetterPublisher(
            sp.GetRequiredService<EventPublisher>(),
            sp.GetRequiredService<MessagingMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DeadLetterPublisher>>()));
        return builder;
    }

    private static void AddMessagingCore(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(MessagingMetrics))) return;

        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .PostConfigure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
            {
                if (string.IsNullOrWhiteSpace(options.Source))
                    options.Source = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } serviceName ? serviceName : environment.ApplicationName;
            });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<MessagingMetrics>();
    }

    // Registered once, and before the relay and the consumer: hosted services start in registration order.
    private static void AddSchemaInitializer(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MessagingSchemaInitializer>());

    private sealed record KafkaConnectionName(string Name);
}
