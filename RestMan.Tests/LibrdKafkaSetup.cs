using System.Runtime.CompilerServices;

namespace RestMan.Tests;

internal static class LibrdKafkaSetup
{
    // Tests build Kafka clients directly, before any messaging type has run its own initializer.
    [ModuleInitializer]
    internal static void Initialize() => RestMan.Messaging.LibrdKafka.UseBundledLibrary(typeof(LibrdKafkaSetup).Assembly);
}
