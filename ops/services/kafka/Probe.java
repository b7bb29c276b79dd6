// Readiness probe for the local broker started by ops/services/up.sh.
// An open port is not enough: right after start the broker can still refuse
// produce requests, and the consumer-offsets topic only exists after a group's
// first use. So Kafka counts as ready only once one record has gone out through
// a producer and come back through a consumer group. That first group use also
// creates the offsets topic, which the first real test would otherwise wait on.
//
// Usage: java -cp 'lib/*' Probe.java <bootstrap> <timeout-seconds>

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Probe {
    static final String TOPIC = "campus-up-probe";

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        long deadline = System.currentTimeMillis() + Long.parseLong(args[1]) * 1000L;
        String token = UUID.randomUUID().toString();

        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("max.block.ms", String.valueOf(remaining(deadline)));
        p.put("delivery.timeout.ms", String.valueOf(Math.max(remaining(deadline), 1000)));
        p.put("request.timeout.ms", "5000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(TOPIC, token)).get();
        }

        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        // A fixed group resumes from its committed offsets, so each probe reads
        // only the few records produced since the last one.
        c.put("group.id", TOPIC);
        c.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(TOPIC));
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (token.equals(r.value())) {
                        consumer.commitSync();
                        return;
                    }
                }
            }
        }
        System.err.println("probe: produced record never came back through consumer group " + TOPIC);
        System.exit(1);
    }

    static long remaining(long deadline) {
        return Math.max(deadline - System.currentTimeMillis(), 1);
    }
}
