package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunRequest;
import java.time.YearMonth;
import java.util.List;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** routes/schedule.camel.yaml: the schedule starts only for the `run` service, and its firing asks for a scheduled harvest. */
class ScheduleRouteTest {

    abstract static class ScheduleOnly extends RouteFileTest {
        @Override
        protected List<String> routeFiles() {
            return List.of("schedule.camel.yaml");
        }

        @Override
        protected String mockedAndSkipped() {
            return "direct:harvest";
        }

        @Override
        protected void settings(TestHarvest harvest) {
            harvest.set("harvester.schedule.cron", "* * * * * ?").set("harvester.management.port", "0");
        }
    }

    @Nested
    class ForOnceAndTheOperatorCommands extends ScheduleOnly {
        @Test
        void theScheduleIsLoadedButStaysStopped() throws Exception {
            Thread.sleep(1500); // a firing would have come by now
            assertEquals(ServiceStatus.Stopped, context.getRouteController().getRouteStatus("harvest-schedule"));
            assertEquals(0, getMockEndpoint("mock:direct:harvest").getReceivedCounter());
        }
    }

    @Nested
    class ForTheRunService extends ScheduleOnly {
        @Override
        protected boolean service() {
            return true;
        }

        @Test
        void aFiringAsksForAScheduledHarvestOfTheConfiguredMonths() throws Exception {
            MockEndpoint harvest = getMockEndpoint("mock:direct:harvest");
            harvest.expectedMinimumMessageCount(1);
            harvest.setResultWaitTime(5000);
            harvest.assertIsSatisfied();
            RunRequest request = harvest.getReceivedExchanges().get(0).getMessage().getBody(RunRequest.class);
            assertEquals("schedule", request.trigger());
            assertEquals(2, request.months().size(), "the current month and harvester.schedule.months-back (1) before");
            assertTrue(harvest.getReceivedExchanges().get(0).getMessage().getHeaders().keySet().stream()
                    .noneMatch(h -> h.startsWith("fire") || h.startsWith("trigger")), "no Quartz header travels on");
        }
    }

    /** harvester.schedule.from and .to: a schedule over fixed months (the sandbox's), whatever month it is now. */
    @Nested
    class OverFixedMonths extends ScheduleOnly {
        @Override
        protected boolean service() {
            return true;
        }

        @Override
        protected void settings(TestHarvest harvest) {
            super.settings(harvest);
            harvest.set("harvester.schedule.from", "2025-01").set("harvester.schedule.to", "2025-03");
        }

        @Test
        void aFiringAsksForThoseMonths() throws Exception {
            MockEndpoint harvest = getMockEndpoint("mock:direct:harvest");
            harvest.expectedMinimumMessageCount(1);
            harvest.setResultWaitTime(5000);
            harvest.assertIsSatisfied();
            assertEquals(List.of(YearMonth.of(2025, 1), YearMonth.of(2025, 2), YearMonth.of(2025, 3)),
                    harvest.getReceivedExchanges().get(0).getMessage().getBody(RunRequest.class).months());
        }
    }
}
