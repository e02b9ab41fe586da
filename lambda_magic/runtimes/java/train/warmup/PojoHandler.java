package warmup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Training: bean and record conversion both ways. */
public class PojoHandler implements RequestHandler<PojoHandler.Request, PojoHandler.Response> {
    /** An event with bean properties. */
    public static class Request {
        private String name;
        private int count;
        private double ratio;
        private boolean ok;
        private List<String> tags;
        private Map<String, Object> nested;
        private BigDecimal amount;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public int getCount() { return count; }
        public void setCount(int count) { this.count = count; }
        public double getRatio() { return ratio; }
        public void setRatio(double ratio) { this.ratio = ratio; }
        public boolean isOk() { return ok; }
        public void setOk(boolean ok) { this.ok = ok; }
        public List<String> getTags() { return tags; }
        public void setTags(List<String> tags) { this.tags = tags; }
        public Map<String, Object> getNested() { return nested; }
        public void setNested(Map<String, Object> nested) { this.nested = nested; }
        public BigDecimal getAmount() { return amount; }
        public void setAmount(BigDecimal amount) { this.amount = amount; }
    }

    /** A result as a record. */
    public record Response(String greeting, int length, List<Integer> counts, Request echo) {
    }

    @Override
    public Response handleRequest(Request event, Context context) {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < event.getCount(); i++) {
            counts.add(i);
        }
        String greeting = "Hello, " + event.getName() + "!";
        return new Response(greeting, greeting.length(), counts, event);
    }
}
