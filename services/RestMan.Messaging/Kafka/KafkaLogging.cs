using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace RestMan.Messaging;

/// <summary>Routes librdkafka's own log lines (syslog levels) into ILogger instead of stderr.</summary>
internal static class KafkaLogging
{
    public static void Forward(ILogger logger, LogMessage message)
    {
        // One step below librdkafka's own level: its errors also arrive as error events (ForwardError), which say
        // the same once; a broker outage would otherwise log every reconnect attempt as an error, twice.
        var level = message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Warning,
            SyslogLevel.Warning or SyslogLevel.Notice => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "librdkafka {Client} {Facility}: {Message}", message.Name, message.Facility, message.Message);
    }

    /// <summary>
    /// True for librdkafka's "offset reset ... to ...: fetch failed due to requested offset not available" warning:
    /// the consumer's position was gone from the broker and it skipped ahead, so messages were never consumed.
    /// </summary>
    public static bool IsOffsetReset(LogMessage message) =>
        message.Level <= SyslogLevel.Warning
        && message.Facility == "OFFSET"
        && message.Message.Contains("offset reset", StringComparison.Ordinal);

    public static void ForwardError(ILogger logger, Error error)
    {
        var level = error.IsFatal ? LogLevel.Critical : LogLevel.Warning;
        logger.Log(level, "Kafka client error {Code}: {Reason}", error.Code, error.Reason);
    }
}
