package org.iotbeam.domain.alerting;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A comparison of a reading with a rule's limit. */
public enum Operator {
  GT(">"),
  GE(">="),
  LT("<"),
  LE("<="),
  EQ("=="),
  NE("!=");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  public boolean test(double reading, double limit) {
    return switch (this) {
      case GT -> reading > limit;
      case GE -> reading >= limit;
      case LT -> reading < limit;
      case LE -> reading <= limit;
      case EQ -> reading == limit;
      case NE -> reading != limit;
    };
  }

  @JsonValue
  public String symbol() {
    return symbol;
  }

  @JsonCreator
  public static Operator fromSymbol(String s) {
    for (Operator o : values()) {
      if (o.symbol.equals(s) || o.name().equalsIgnoreCase(s)) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "unknown operator '" + s + "'; use one of > >= < <= == != (or GT GE LT LE EQ NE)");
  }
}
